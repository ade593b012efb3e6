import { defaultDependencies, type Dependencies } from './cloudflare/dependencies.ts'
import { runPost } from './replace/post-step.ts'
import { isPostStep, markMainStep } from './action/state-helper.ts'
import { runUpload } from './upload/step.ts'

/**
 * The action's one entry: the runner starts the same bundle for the main step and, at the end of the
 * job, for the post step (action.yml), which finds the main step's mark in its saved state.
 */
export async function run(dependencies: Dependencies = defaultDependencies()): Promise<void> {
  if (isPostStep()) return runPost(dependencies)
  markMainStep()
  return runUpload(dependencies)
}
