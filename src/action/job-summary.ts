import * as core from '@actions/core'
import { errorMessage } from '../core/errors.ts'
import { escapeForSummary } from '../core/html.ts'
import { log } from './log.ts'
import { registeredSecrets } from './secrets.ts'

/**
 * The summary reports what happened; it is not part of it. Some runners have no summary file (older
 * GitHub Enterprise Server, local runners): failing there would report a finished upload as failed, and
 * a re-run would then find the certificate and say created=false.
 */
export async function writeSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(withoutSecrets(html)).write()
  } catch (error) {
    log.warning(
      `The job summary could not be written (${errorMessage(error)}); what the step did stands, as logged above.`,
    )
  }
}

/**
 * The runner masks the log, not the summary file: every registered secret, as given and as the
 * summary escapes it, is blanked here, so that an error quoting one (an API echoing a request) is safe.
 */
function withoutSecrets(html: string): string {
  const forms = [...registeredSecrets()].flatMap((form) => [form, escapeForSummary(form)])
  // Longest first: a secret's line must not break up the whole secret it is part of.
  forms.sort((a, b) => b.length - a.length)
  return forms.reduce((text, form) => (form ? text.split(form).join('***') : text), html)
}
