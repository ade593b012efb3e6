import { defaultDependencies, type Dependencies } from './cloudflare/dependencies.ts'
import { isPostStep, markMainStep } from './action/state-helper.ts'
import { failStep } from './action/log.ts'
import { runMainStep } from './pipeline/main-step.ts'
import { runPostStep } from './pipeline/post-step.ts'

/**
 * The action's one entry: the runner starts the same bundle for the main step and, at the end of the
 * job, for the post step (action.yml), which finds the main step's mark in its saved state. Anything
 * thrown outside the steps' own catch (saving the mark, say) fails the step with one line too: left
 * to Node, it would print the bundle's minified source line.
 */
export async function run(dependencies: Dependencies = defaultDependencies()): Promise<void> {
  try {
    if (isPostStep()) {
      await runPostStep(dependencies)
      return
    }
    markMainStep()
    await runMainStep(dependencies)
  } catch (error) {
    failStep(error)
  }
}
