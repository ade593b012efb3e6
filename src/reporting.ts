import * as core from '@actions/core'
import { OperationError } from './cloudflare.ts'
import { InputError } from './errors.ts'
import { log } from './log.ts'
import type { Replacement } from './rotation.ts'

/** What the main and post steps both print: replace's decisions, the job summary, failures. */

export function logReplacements(replacements: readonly Replacement[]): void {
  for (const r of replacements) {
    const line = `Certificate ${r.id} of the same name${r.uploadedOn ? ` (uploaded ${r.uploadedOn})` : ''}: ${r.action}, ${r.reason}.`
    if (r.warn) log.warning(line)
    else log.info(line)
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
  if (error instanceof OperationError) return error.message.replace(/([^.])$/, '$1.')
  if (error instanceof Error) {
    for (const line of (error.stack ?? error.message).split('\n')) log.debug(line)
    return `Unexpected error: ${error.message}`
  }
  return `Unexpected error: ${String(error)}`
}
