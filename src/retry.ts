/** When and how long to wait before trying a request again. Pure: the clock and randomness are injected. */

export interface Backoff {
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_BACKOFF: Readonly<Backoff> = { baseDelayMs: 500, maxDelayMs: 15_000 }

export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  random(): number
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer)
          resolve()
        },
        { once: true },
      )
    }),
  random: () => Math.random(),
}

/** Statuses that say "try again later": rate limit, request timeout, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so that parallel
 * jobs spread out but no wait collapses to zero. `retry` counts from 1.
 */
export function backoffDelay(retry: number, policy: Readonly<Backoff>, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.round(step / 2 + (step / 2) * random())
}

/** The server's own wait, from `retry-after-ms` or `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Readonly<Record<string, string | undefined>>, now: number): number | undefined {
  const milliseconds = headers['retry-after-ms']
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds.trim()))
    return finiteOrUndefined(Math.ceil(Number(milliseconds)))
  const value = headers['retry-after']?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return finiteOrUndefined(Number(value) * 1000)
  // An HTTP date names its weekday or month; V8's lenient Date.parse would read '1.5' or '-1' as dates too.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** A wait of hundreds of digits reads as Infinity: no wait the server could mean. */
const finiteOrUndefined = (ms: number): number | undefined => (Number.isFinite(ms) ? ms : undefined)
