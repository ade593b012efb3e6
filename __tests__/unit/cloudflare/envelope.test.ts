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

describe('retryAfterMs', () => {
  it('reads milliseconds, seconds, or an HTTP date, and nothing else', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1500.2' }, NOW)).toBe(1501)
    expect(retryAfterMs({ 'retry-after': ' 3 ' }, NOW)).toBe(3000)
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 12:00:10 GMT' }, NOW)).toBe(10_000)
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 11:00:00 GMT' }, NOW)).toBe(0)
    for (const value of ['1.5', '-1', 'soon', '', '9'.repeat(400)])
      expect(retryAfterMs({ 'retry-after': value }, NOW)).toBeUndefined()
    expect(retryAfterMs({}, NOW)).toBeUndefined()
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

describe('isRetryableStatus and isObject', () => {
  it('retry 408, 429 and 5xx only; an object is neither null nor a list', () => {
    expect([200, 400, 404, 408, 429, 500, 503].filter(isRetryableStatus)).toEqual([408, 429, 500, 503])
    expect([{}, null, [], 'x'].map(isObject)).toEqual([true, false, false, false])
  })
})
