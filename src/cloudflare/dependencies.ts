import { systemClock, type Clock } from '../core/clock.ts'
import { createHttpClient, type HttpClient } from './http.ts'

/** What a step needs from the outside world: HTTP and time. Tests pass a fake clock to skip the waits. */
export interface Dependencies {
  http: HttpClient
  clock: Clock
}

export function defaultDependencies(): Dependencies {
  return { http: createHttpClient(), clock: systemClock }
}

/**
 * Where the client says what it does (a retry, a partial listing, each request's status at debug
 * level): the runner's log, handed in by the step, since cloudflare/ knows nothing of the runner.
 */
export interface ApiLog {
  info(message: string): void
  debug(message: string): void
}

/** For callers that want no lines (tests, scripts). */
export const QUIET: ApiLog = { info: () => undefined, debug: () => undefined }
