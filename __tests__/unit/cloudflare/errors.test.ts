import { describe, expect, it } from 'vitest'
import { ApiError, CLOUDFLARE_CODES, TransportError, hasAnyCode } from '../../../src/cloudflare/errors.ts'

const apiError = (status: number, codes: number[]) =>
  new ApiError(
    'x',
    status,
    codes.map((code) => ({ code, message: 'm' })),
    { retryable: false, outcomeUnknown: false },
  )

describe('hasAnyCode', () => {
  it('finds any of the codes among the entries', () => {
    const errors = [{ code: 1471, message: 'exists' }]
    expect(hasAnyCode(errors, [1472, 1471])).toBe(true)
    expect(hasAnyCode(errors, CLOUDFLARE_CODES.credentials)).toBe(false)
    expect(hasAnyCode([], [1471])).toBe(false)
  })
})

describe('ApiError', () => {
  it('keeps what came back and the traits it was given', () => {
    const error = new ApiError('HTTP 429: slow down', 429, [{ code: 971, message: 'slow down' }], {
      retryable: true,
      outcomeUnknown: false,
      retryAfterMs: 2000,
      hint: 'wait',
    })
    expect(error.name).toBe('ApiError')
    expect(error.message).toBe('HTTP 429: slow down')
    expect([error.status, error.retryable, error.outcomeUnknown, error.retryAfterMs, error.hint]).toEqual([
      429,
      true,
      false,
      2000,
      'wait',
    ])
    expect(error.hasCode(1, 971)).toBe(true)
    expect(error.hasCode(1471)).toBe(false)
  })

  it('is "not found" for a 404, or for Cloudflare\'s own code, and not otherwise', () => {
    expect(apiError(404, []).notFound).toBe(true)
    expect(apiError(400, [CLOUDFLARE_CODES.certificateNotFound]).notFound).toBe(true)
    expect(apiError(400, [CLOUDFLARE_CODES.certificateExists]).notFound).toBe(false)
    expect(apiError(403, []).notFound).toBe(false)
  })
})

describe('TransportError', () => {
  it('defaults the traits it is not given to false', () => {
    const error = new TransportError('network error (ECONNRESET)', { mayHaveReachedServer: true })
    expect(error.name).toBe('TransportError')
    expect([error.mayHaveReachedServer, error.timedOut, error.budgetExhausted, error.permanent]).toEqual([
      true,
      false,
      false,
      false,
    ])
  })

  it('as a read, cannot have changed the account, and keeps the rest', () => {
    const error = new TransportError('no answer', { mayHaveReachedServer: true, timedOut: true, budgetExhausted: true })
    const read = error.asRead()
    expect(read).not.toBe(error)
    expect(read.message).toBe('no answer')
    expect([read.mayHaveReachedServer, read.timedOut, read.budgetExhausted, read.permanent]).toEqual([
      false,
      true,
      true,
      false,
    ])
  })
})
