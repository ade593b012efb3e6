import { CloudflareApi } from './cloudflare/client.ts'
import type { Dependencies } from './cloudflare/dependencies.ts'
import { getApiSettings } from './cloudflare/settings.ts'
import { errorMessage } from './core/errors.ts'
import { actionInputs } from './action/input-source.ts'
import { writeSummary } from './action/job-summary.ts'
import { log } from './action/log.ts'
import { registerSecretInputs } from './action/secrets.ts'
import { finishRotations, rotationsToFinish } from './replace/post-step.ts'

/**
 * The post step (main.ts starts it): the saved rotations finished with the step-wide API inputs,
 * read again (no certificate input is). It never fails the job: the new certificates are in place.
 */
export async function runPost(dependencies: Dependencies): Promise<void> {
  const source = actionInputs()
  try {
    registerSecretInputs(source)
    const rotations = rotationsToFinish()
    if (!rotations) return
    const api = new CloudflareApi(getApiSettings(source), dependencies.http.send, dependencies.clock)
    await writeSummary((await finishRotations(api, rotations)).join(''))
  } catch (error) {
    log.warning(
      `Replace at the end of the job could not finish: ${errorMessage(error)}. The new certificate is in place; older certificates with its name are left as they were.`,
    )
  } finally {
    await dependencies.http.close()
  }
}
