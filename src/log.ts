import * as core from '@actions/core'
import { printable } from './text.ts'

/**
 * Every line the action logs goes through here, on one line each: messages carry text from outside
 * (API answers, certificate fields, error messages), which must not start a line the runner would read
 * as a workflow command. Secrets are registered with the runner before anything is logged (secrets.ts).
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
    core.info(printable(message))
  },
  debug: (message) => {
    core.debug(printable(message))
  },
  notice: (message) => {
    core.notice(printable(message))
  },
  warning: (message) => {
    core.warning(printable(message))
  },
  fail: (message) => {
    core.setFailed(printable(message))
  },
}
