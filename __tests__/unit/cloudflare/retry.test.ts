import { describe, expect, it } from 'vitest'
import { OperationError } from '../../../src/core/errors.ts'
import { TransportError } from '../../../src/cloudflare/errors.ts'
import { Retries } from '../../../src/cloudflare/retry.ts'
import { isRetryableStatus, retryAfterMs } from '../../../src/cloudflare/envelope.ts'
import { FakeClock } from '../fakes.ts'

const ALMOST_ONE = 1 - Number.EPSILON
const transient = new TransportError('network error (ECONNREFUSED)', { mayHaveReachedServer: false })

/** The waits between `attempts` attempts that all fail transiently, with the clock's random number fixed. */
async function waits(attempts: number, random: number): Promise<number[]> {
  const clock = new FakeClock(Date.parse('2025-03-01T12:00:00Z'), random)
  const retries = new Retries({ maxRetries: attempts - 1, timeoutSeconds: 3600 }, clock)
  await retries.withRetries('fail', () => Promise.reject(transient)).catch(() => undefined)
  return clock.sleeps
}

describe('the wait before each retry', () => {
  // Exponential steps from 500 ms, capped at 15 s: "equal jitter" waits between half the step and all of it.
  const steps = [500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]

  it('is half the step with the smallest random number', async () => {
    expect(await waits(steps.length + 1, 0)).toEqual(steps.map((step) => step / 2))
  })

  it('is the whole step, never more than 15 s, with the largest', async () => {
    expect(await waits(steps.length + 1, ALMOST_ONE)).toEqual(steps)
  })

  it('is three quarters of the step halfway', async () => {
    expect(await waits(steps.length + 1, 0.5)).toEqual(steps.map((step) => Math.round(step * 0.75)))
  })

  it('stays at the cap however many retries', async () => {
    const long = await waits(31, ALMOST_ONE)
    expect(long).toHaveLength(30)
    expect(long.slice(5).every((wait) => wait === 15_000)).toBe(true)
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2025-03-01T12:00:00Z')

  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, now)).toBe(7000)
    expect(retryAfterMs({ 'retry-after': ' 0 ' }, now)).toBe(0)
  })

  it('reads Retry-After as an HTTP date, relative to now', () => {
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 12:00:30 GMT' }, now)).toBe(30_000)
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 12:00:30 GMT' }, now + 10_000)).toBe(20_000)
  })

  it('gives 0 for an HTTP date in the past', () => {
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 11:59:00 GMT' }, now)).toBe(0)
  })

  it('prefers retry-after-ms, rounded up, over Retry-After', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500', 'retry-after': '60' }, now)).toBe(1500)
    expect(retryAfterMs({ 'retry-after-ms': '12.2' }, now)).toBe(13)
  })

  it('falls back to Retry-After when retry-after-ms is garbage', () => {
    expect(retryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '3' }, now)).toBe(3000)
  })

  it.each(['', '   ', 'soon', 'in a minute', '12abc', '0x10'])('gives undefined for Retry-After %j', (value) => {
    expect(retryAfterMs({ 'retry-after': value }, now)).toBeUndefined()
  })

  it('gives undefined without either header', () => {
    expect(retryAfterMs({}, now)).toBeUndefined()
    expect(retryAfterMs({ 'retry-after': undefined }, now)).toBeUndefined()
  })

  // BUG (src/retry.ts, retryAfterMs): a Retry-After that is neither whole seconds nor an HTTP date falls
  // through to Date.parse, and V8's lenient parser reads '1.5' as 2001-01-05 and '-1' as the year -1: both
  // become a date in the past, so the wait is 0 ms and the client retries at once, instead of undefined
  // (which would fall back to the exponential backoff).
  it.each(['1.5', '-1'])('gives undefined for Retry-After %j', (value) => {
    expect(retryAfterMs({ 'retry-after': value }, now)).toBeUndefined()
  })
})

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504, 520, 522, 599])('retries %i', (status) => {
    expect(isRetryableStatus(status)).toBe(true)
  })

  it.each([200, 201, 301, 400, 401, 403, 404, 409, 413, 422, 499])('does not retry %i', (status) => {
    expect(isRetryableStatus(status)).toBe(false)
  })
})

describe('Retries.withRetries', () => {
  const OPERATION = 'do the thing'
  const retries = () => new Retries({ maxRetries: 3, timeoutSeconds: 60 }, new FakeClock())
  const rejection = (promise: Promise<unknown>): Promise<unknown> =>
    promise.then(
      () => undefined,
      (reason: unknown) => reason,
    )

  it('does not retry once the whole budget is spent', async () => {
    let attempts = 0
    const error = await rejection(
      retries().withRetries(OPERATION, () => {
        attempts++
        return Promise.reject(
          new TransportError('no answer within timeout-seconds (60 s)', {
            mayHaveReachedServer: true,
            timedOut: true,
            budgetExhausted: true,
          }),
        )
      }),
    )
    expect(error).toBeInstanceOf(OperationError)
    expect((error as OperationError).message).toBe(`Could not ${OPERATION}: no answer within timeout-seconds (60 s)`)
    expect(attempts).toBe(1)
  })

  it('does not retry an unexpected error', async () => {
    const error = await rejection(
      retries().withRetries(OPERATION, () => Promise.reject(new TypeError('x is not a function'))),
    )
    expect((error as OperationError).message).toBe(`Could not ${OPERATION}: x is not a function`)
  })

  it('tells later attempts when an earlier one may have taken effect, and not before', async () => {
    const seen: boolean[] = []
    const reached = new TransportError('network error (ECONNRESET)', { mayHaveReachedServer: true })
    const refused = new TransportError('network error (ECONNREFUSED)', { mayHaveReachedServer: false })
    const failures = [refused, reached, refused]
    const result = await retries().withRetries(OPERATION, (earlier) => {
      seen.push(earlier.mayHaveTakenEffect)
      const failure = failures.shift()
      return failure ? Promise.reject(failure) : Promise.resolve('done')
    })
    expect(result).toBe('done')
    expect(seen).toEqual([false, false, true, true])
  })
})
