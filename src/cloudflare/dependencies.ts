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
