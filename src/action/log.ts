import * as core from '@actions/core'
import { failureMessage, unexpectedStack } from '../core/errors.ts'
import { registeredSecrets } from './secrets.ts'
import { inertLine } from '../core/text.ts'

/**
 * Every line the action logs goes through here, on one line each: messages carry text from outside
 * (API answers, certificate fields, error messages), which must not form a command the runner acts
 * on (text.ts, `inertLine`). Secrets are registered with the runner before anything is logged
 * (secrets.ts).
 *
 * One way to reach it: every module imports `log` from here; none takes a log as a parameter. Unit
 * tests that read what was logged spy on its methods (__tests__/unit/fakes.ts `fakeApi`).
 */
export interface Log {
  info(message: string): void
  debug(message: string): void
  notice(message: string): void
  warning(message: string): void
  /** The step's error annotation; the step fails. */
  fail(message: string): void
}

export const log: Log = {
  info: (message) => {
    core.info(logLine(message))
  },
  debug: (message) => {
    core.debug(logLine(message))
  },
  notice: (message) => {
    core.notice(logLine(message))
  },
  warning: (message) => {
    core.warning(logLine(message))
  },
  fail: (message) => {
    core.setFailed(logLine(message))
  },
}

/** Fails the step with the error's one-line message; the stack of an unexpected error goes to the debug log only. */
export function failStep(error: unknown): void {
  for (const line of unexpectedStack(error)) log.debug(line)
  log.fail(failureMessage(error))
}

/**
 * The longest line logged, in bytes as the runner writes them (an annotation's `%` becomes `%25`),
 * leaving room for the command's own prefix. Longer lines are hard to read, and a few thousand ids
 * made one of about 100 KB; the outputs keep full lists.
 */
export const MAX_LINE_BYTES = 4000

/** The message as one inert line of at most MAX_LINE_BYTES, cut with a note of what was left out. */
function logLine(message: string): string {
  const line = inertLine(message)
  if (writtenBytes(line) <= MAX_LINE_BYTES) return line
  // Room for the note, whose count has at most 10 digits.
  const budget = MAX_LINE_BYTES - writtenBytes(cutNote(9_999_999_999))
  let cut = 0
  let bytes = 0
  for (const character of line) {
    bytes += writtenBytes(character)
    if (bytes > budget) break
    cut += character.length
  }
  cut = outsideSecrets(line, cut)
  return `${line.slice(0, cut)}${cutNote(line.length - cut)}`
}

const cutNote = (left: number): string => ` … (line cut: ${left} more characters)`

const writtenBytes = (text: string): number => Buffer.byteLength(text) + 2 * (text.split('%').length - 1)

/**
 * Where to cut so that no registered secret is cut in two: the runner masks whole values only, so
 * the first part of a cut secret would be printed as it is. Moves the cut back before any secret it
 * falls inside (on a character boundary, as secrets are whole text).
 */
function outsideSecrets(line: string, cut: number): number {
  let at = cut
  for (let moved = true; moved;) {
    moved = false
    for (const secret of registeredSecrets()) {
      const start = line.indexOf(secret, Math.max(0, at - secret.length + 1))
      if (start >= 0 && start < at) {
        at = start
        moved = true
      }
    }
  }
  return at
}
