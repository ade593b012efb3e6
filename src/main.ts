import { defaultDependencies, type Dependencies } from './cloudflare/dependencies.ts'
import { runPost } from './post.ts'
import { isPostStep, markMainStep } from './action/state-helper.ts'
import { failStep } from './action/log.ts'
import { runUpload } from './upload/step.ts'
import { actionInputs } from './action/input-source.ts'

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
    // With a manifest, one step handles every certificate it lists; without, the inputs' one.
    // Loaded only then: its YAML parser would add to the start of every single-certificate step.
    if (actionInputs().input('manifest').trim()) {
      const { runManifest } = await import(/* webpackMode: "eager" */ './manifest/step.ts')
      await runManifest(dependencies)
    } else await runUpload(dependencies)
  } catch (error) {
    failStep(error)
  }
}
