import { describe, expect, it } from 'vitest'
import { answerOf, htmlTitle, isObject, isRetryableStatus, retryAfterMs } from '../../../src/cloudflare/envelope.ts'
import { ApiError } from '../../../src/cloudflare/errors.ts'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import { failure, html, json, success } from '../fakes.ts'

const NOW = Date.parse('2025-03-01T12:00:00Z')

const rejection = (response: HttpResponse, method = 'GET', zoneId?: string): ApiError => {
  try {
    answerOf(response, NOW, method, 'token', zoneId)
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('the answer was taken')
}

describe('answerOf', () => {
  it('gives the result of a success, with its result_info when it is an object', () => {
    expect(answerOf(success([1, 2]), NOW, 'GET', 'token')).toEqual({ result: [1, 2] })
    const paged = json(200, { success: true, errors: [], result: [], result_info: { page: 1, total_pages: 1 } })
    expect(answerOf(paged, NOW, 'GET', 'token')).toEqual({ result: [], resultInfo: { page: 1, total_pages: 1 } })
    const oddInfo = json(200, { success: true, errors: [], result: null, result_info: [1] })
    expect(answerOf(oddInfo, NOW, 'GET', 'token')).toEqual({ result: null })
  })

  it("lists Cloudflare's errors, and says whether a retry can help and whether a write may have happened", () => {
    const error = rejection(failure(400, [{ code: 1471, message: 'already exists' }]), 'POST')
    expect(error.message).toBe('HTTP 400: [1471] already exists')
    expect(error.status).toBe(400)
    expect(error.errors).toEqual([{ code: 1471, message: 'already exists' }])
    expect(error.retryable).toBe(false)
    expect(error.outcomeUnknown).toBe(false)
    expect(error.hint).toBeUndefined()
    const server = rejection(failure(502, []), 'DELETE')
    expect(server.message).toBe('HTTP 502: no error details')
    expect(server.retryable).toBe(true)
    expect(server.outcomeUnknown).toBe(true)
    expect(server.hint).toMatch(/^Cloudflare, or a proxy in between, is having trouble/)
  })

  it('refuses a 200 whose success is false, and reads malformed error entries defensively', () => {
    const error = rejection(json(200, { success: false, errors: [{ message: 7 }, 'x'], result: null }))
    expect(error.message).toBe('HTTP 200: [0] no message')
  })

  it('retries a 2xx that is not JSON, or not the envelope, naming what came', () => {
    const page = rejection(html(200, 'Just a moment...'))
    expect(page.message).toBe(
      `HTTP 200 with an HTML page titled "Just a moment..." instead of Cloudflare's JSON answer`,
    )
    expect(page.retryable).toBe(true)
    expect(rejection({ status: 200, headers: {}, body: '  ' }).message).toBe(
      "HTTP 200 with an empty body (no content type) instead of Cloudflare's JSON answer",
    )
    expect(rejection({ status: 403, headers: { 'content-type': 'text/plain' }, body: 'denied' }).message).toBe(
      "HTTP 403 with a text/plain body of 6 bytes instead of Cloudflare's JSON answer",
    )
    const notEnvelope = rejection(json(200, { data: [] }))
    expect(notEnvelope.message).toBe(
      `HTTP 200 with JSON that is not Cloudflare's API envelope (no "success" field): is api-base-url right?`,
    )
    expect(notEnvelope.retryable).toBe(true)
  })

  it('hints at the credentials for 401 and 403, at account-id for its codes, and at zone-id on a zone call', () => {
    expect(rejection(failure(401, [{ code: 10000, message: 'Authentication error' }])).hint).toMatch(
      /^Cloudflare answers so both when it does not accept the API token/,
    )
    expect(rejection(failure(403, [{ code: 9999, message: 'no' }])).hint).toBe(
      'The API token lacks permission: it needs "Account → SSL and Certificates → Edit" on this account.',
    )
    expect(rejection(failure(403, [{ code: 7003, message: 'Could not route' }])).hint).toMatch(/^Check account-id:/)
    expect(rejection(failure(404, []), 'PUT', 'zone1').hint).toBe(
      "Check zone-id: zone1 must be the ID of a zone that the credentials can reach (the Zone ID on the zone's Overview page, in the account of account-id).",
    )
    expect(rejection(failure(403, []), 'PUT', 'zone1').hint).toMatch(
      /^The API token needs the zone permission "Zone → SSL and Certificates → Edit" on zone zone1/,
    )
    expect(rejection(failure(429, [])).hint).toBe(
      'Cloudflare is rate-limiting these credentials: re-run the job later.',
    )
  })

  it("keeps the server's Retry-After", () => {
    expect(rejection(failure(429, [], { 'retry-after': '7' })).retryAfterMs).toBe(7000)
  })
})

describe('htmlTitle', () => {
  it("gives the first title's text on one line, cut at 120 characters", () => {
    expect(htmlTitle('<html><TITLE lang="en">\n 502  Bad\tGateway </TITLE>')).toBe('502 Bad Gateway')
    expect(htmlTitle(`<title>${'x'.repeat(200)}</title>`)).toBe('x'.repeat(120))
    expect(htmlTitle('<title></title>')).toBeUndefined()
    expect(htmlTitle('no title')).toBeUndefined()
    expect(htmlTitle(`${' '.repeat(64 * 1024)}<title>late</title>`)).toBeUndefined()
  })

  it('takes linear time over a hostile body', () => {
    const started = performance.now()
    expect(htmlTitle('<title'.repeat(1_000_000))).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('isObject', () => {
  it('is an object that is neither null nor a list', () => {
    expect([{}, null, [], 'x'].map(isObject)).toEqual([true, false, false, false])
  })
})

describe('retryAfterMs', () => {
  const now = NOW

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
