import { endSentence } from './text.ts'

/** A problem the user can fix in the workflow file: the message names the input and the fix. */
export class InputError extends Error {
  override name = 'InputError'
}

/** The operation failed for good: the message says what was tried, how often, and what came back. */
export class OperationError extends Error {
  override name = 'OperationError'
}

/** The message of anything thrown. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** The error's own code (`ENOENT`, `UND_ERR_ABORTED`), or that of its cause: undici wraps some socket and TLS errors. */
export function errorCode(error: unknown): string {
  for (let current = error, depth = 0; depth < 3; depth++) {
    if (typeof current !== 'object' || current === null) return ''
    if ('code' in current && typeof current.code === 'string' && current.code) return current.code
    current = 'cause' in current ? current.cause : undefined
  }
  return ''
}

/** One line for the error annotation: what went wrong and what to do (log.ts failStep logs it). */
export function failureMessage(error: unknown): string {
  if (error instanceof InputError) return error.message
  if (error instanceof OperationError) return endSentence(error.message)
  if (error instanceof Error) return `Unexpected error: ${error.message}`
  return `Unexpected error: ${String(error)}`
}

/** The stack of an unexpected error, for the debug log only; none for the action's own errors. */
export const unexpectedStack = (error: unknown): string[] =>
  error instanceof Error && !(error instanceof InputError) && !(error instanceof OperationError)
    ? (error.stack ?? error.message).split('\n')
    : []

/** A plan whose steps break their own order (a target's step before the certificate is placed): a bug. */
export const planBroken = (what: string): Error =>
  new Error(`The plan broke its own order (${what}): a bug in the action`)
