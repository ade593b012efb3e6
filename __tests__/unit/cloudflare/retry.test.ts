import { describe, expect, it } from 'vitest'
import { OperationError } from '../../../src/core/errors.ts'
import { TransportError } from '../../../src/cloudflare/errors.ts'
import { Retries } from '../../../src/cloudflare/retry.ts'
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
