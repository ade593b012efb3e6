import * as core from '@actions/core'
import { OperationError } from './cloudflare.ts'
import { InputError } from './errors.ts'
import { log } from './log.ts'
import type { Replacement } from './rotation.ts'
import { endSentence, plural, someOf } from './text.ts'

/** What the main and post steps both print: replace's decisions, the job summary, failures. */

/** Past this many, the warnings about kept certificates are grouped into one annotation; the log still lists each. */
export const WARNINGS_SHOWN = 5

export function logReplacements(replacements: readonly Replacement[]): void {
  const unchecked = replacements.filter((r) => r.action === 'not checked')
  const checked = replacements.filter((r) => r.action !== 'not checked')
  // One annotation for the rest is worth it only when it stands for two or more.
  let shown = checked.filter((r) => r.warn).length > WARNINGS_SHOWN + 1 ? WARNINGS_SHOWN : Infinity
  const grouped: string[] = []
  for (const r of checked) {
    const line = `Certificate ${r.id} of the same name${r.uploadedOn ? ` (uploaded ${r.uploadedOn})` : ''}: ${r.action}, ${r.reason}.`
    if (!r.warn) log.info(line)
    else if (grouped.length === 0 && shown-- > 0) log.warning(line)
    else {
      log.info(line)
      grouped.push(r.id)
    }
  }
  if (grouped.length > 0) {
    log.warning(
      `${plural(grouped.length, 'more certificate')} of the same name were kept, each for the reason logged above: ${someOf(grouped)}.`,
    )
  }
  const [first] = unchecked
  if (first) {
    log.warning(
      `${plural(unchecked.length, 'older certificate')} of the same name ${unchecked.length === 1 ? 'was' : 'were'} not checked, as ${first.reason}: kept. Re-run the job to finish; not checked: ${someOf(unchecked.map((r) => r.id))}.`,
    )
  }
}

/**
 * The summary reports what happened; it is not part of it. Some runners have no summary file (older
 * GitHub Enterprise Server, local runners): failing there would report a finished upload as failed, and
 * a re-run would then find the certificate and say created=false.
 */
export async function writeSummary(html: string): Promise<void> {
  try {
    await core.summary.addRaw(html).write()
  } catch (error) {
    log.warning(
      `The job summary could not be written (${errorText(error)}); what the step did stands, as logged above.`,
    )
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** One line for the error annotation: what went wrong and what to do. Stacks go to the debug log only. */
export function failureMessage(error: unknown): string {
  if (error instanceof InputError) return error.message
  if (error instanceof OperationError) return endSentence(error.message)
  if (error instanceof Error) {
    for (const line of (error.stack ?? error.message).split('\n')) log.debug(line)
    return `Unexpected error: ${error.message}`
  }
  return `Unexpected error: ${String(error)}`
}
