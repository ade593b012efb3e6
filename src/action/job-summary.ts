import * as core from '@actions/core'
import { errorMessage } from '../core/errors.ts'
import { escapeForSummary } from '../core/html.ts'
import { log } from './log.ts'
import { redactSecrets } from './secrets.ts'

/**
 * The summary reports what happened; it is not part of it. Some runners have no summary file (older
 * GitHub Enterprise Server, local runners): failing there would report a finished upload as failed, and
 * a re-run would then find the certificate and say created=false.
 */
export async function writeSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(redactSecrets(html, escapeForSummary)).write()
  } catch (error) {
    log.warning(
      `The job summary could not be written (${errorMessage(error)}); what the step did stands, as logged above.`,
    )
  }
}
