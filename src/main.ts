import { defaultDependencies, type Dependencies } from './cloudflare/dependencies.ts'
import { runPost } from './post.ts'
import { isPostStep, markMainStep } from './action/state-helper.ts'
import { failStep } from './action/log.ts'
import { runUpload } from './upload/step.ts'
import { actionInputs } from './action/input-source.ts'
import { loadWranglerParsers } from './wrangler/parsers.ts'

/**
 * The action's one entry: the runner starts the same bundle for the main step and, at the end of the
 * job, for the post step (action.yml), which finds the main step's mark in its saved state. Anything
 * thrown outside the steps' own catch (saving the mark, say) fails the step with one line too: left
 * to Node, it would print the bundle's minified source line.
 */
export async function run(dependencies: Dependencies = defaultDependencies()): Promise<void> {
  try {
    if (isPostStep()) {
      await runPost(dependencies)
      return
    }
    markMainStep()
    // With a manifest, one step handles every certificate it lists; without, the inputs' one. The
    // manifest step (with its YAML parser) and the Wrangler parsers are chunks of dist/ of their own,
    // loaded only when needed: compiling them added about a fifth to every single-certificate step.
    const inputs = actionInputs()
    if (inputs.input('manifest').trim()) {
      // Its entries' Wrangler files are checked as the manifest is read, synchronously: loaded first.
      const [{ runManifest }] = await Promise.all([import('./manifest/step.ts'), loadWranglerParsers()])
      await runManifest(dependencies)
    } else {
      if (inputs.input('wrangler-config').trim()) await loadWranglerParsers()
      await runUpload(dependencies)
    }
  } catch (error) {
    failStep(error)
  }
}
