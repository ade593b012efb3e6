import { describe, expect, it } from 'vitest'
import { answerOf, htmlTitle, isObject, isRetryableStatus, retryAfterMs } from '../../../src/cloudflare/envelope.ts'
import { ApiError } from '../../../src/cloudflare/errors.ts'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import { NOW, failure, html, json, resultOf, success } from '../fakes.ts'

const rejection = (response: HttpResponse, method = 'GET', zoneId?: string): ApiError => {
  try {
    answerOf(response, NOW, method, 'token', zoneId)
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('the answer was taken')
}

const SERVER_TROUBLE =
  'Cloudflare, or a proxy in between, is having trouble: re-run the job later (https://www.cloudflarestatus.com lists incidents).'

/** The ApiError resultOf throws; fails the test if it returns or throws something else. */
function apiError(
  response: HttpResponse,
  method = 'POST',
  now = NOW,
  auth: 'token' | 'global-key' = 'token',
): ApiError {
  try {
    resultOf(response, now, method, auth)
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('resultOf accepted the response')
}

// --- answerOf ---

describe('answerOf', () => {
  it('returns the result of a successful envelope', () => {
    expect(resultOf(success({ id: 'abc', name: 'n' }), NOW, 'POST')).toEqual({ id: 'abc', name: 'n' })
    expect(resultOf(success([]), NOW, 'GET')).toEqual([])
  })

  it('turns a 4xx envelope into a final ApiError that lists every error', () => {
    const errors = [
      { code: 1400, message: 'Unable to parse certificate' },
      { code: 1412, message: 'Private key does not match' },
    ]
    const error = apiError(failure(400, errors))
    expect(error.status).toBe(400)
    expect(error.errors).toEqual(errors)
    expect(error.message).toBe('HTTP 400: [1400] Unable to parse certificate; [1412] Private key does not match')
    expect(error.retryable).toBe(false)
    expect(error.outcomeUnknown).toBe(false)
    expect(error.retryAfterMs).toBeUndefined()
    expect(error.hasCode(1412)).toBe(true)
    expect(error.hasCode(1471)).toBe(false)
  })

  it('fills in a missing code or message, and says when there are no details', () => {
    const error = apiError(json(409, { success: false, errors: [{ message: 'Conflict' }, { code: 7 }, 'junk'] }))
    expect(error.errors).toEqual([
      { code: 0, message: 'Conflict' },
      { code: 7, message: 'no message' },
    ])
    expect(apiError(failure(404, [])).message).toBe('HTTP 404: no error details')
  })

  it('fails a 200 whose envelope says success: false', () => {
    const error = apiError(failure(200, [{ code: 1001, message: 'Nope' }]), 'GET')
    expect(error.message).toBe('HTTP 200: [1001] Nope')
    expect(error.retryable).toBe(false)
  })

  it('marks 429 retryable with the Retry-After wait', () => {
    const error = apiError(failure(429, [{ code: 971, message: 'Please wait' }], { 'retry-after': '12' }), 'GET')
    expect(error.retryable).toBe(true)
    expect(error.retryAfterMs).toBe(12_000)
    expect(error.outcomeUnknown).toBe(false)
  })

  it('marks a 5xx retryable, with an unknown outcome for a write but not for a read', () => {
    const response = failure(503, [{ code: 10001, message: 'Service unavailable' }], {
      'retry-after': 'Sat, 01 Mar 2025 12:00:05 GMT',
    })
    const post = apiError(response, 'POST')
    expect(post.retryable).toBe(true)
    expect(post.outcomeUnknown).toBe(true)
    expect(post.retryAfterMs).toBe(5000)
    expect(apiError(response, 'DELETE').outcomeUnknown).toBe(true)
    expect(apiError(response, 'GET').outcomeUnknown).toBe(false)
  })

  it('describes an HTML error page by its title, not as a JSON parse error', () => {
    const error = apiError(html(502, 'api.cloudflare.com | 502:\n  Bad gateway'))
    expect(error.message).toBe(
      'HTTP 502 with an HTML page titled "api.cloudflare.com | 502: Bad gateway" instead of Cloudflare\'s JSON answer',
    )
    expect(error.hint).toBe(SERVER_TROUBLE)
    expect(error.message).not.toMatch(/JSON\.parse|Unexpected token|SyntaxError/)
    expect(error.retryable).toBe(true)
  })

  it('describes a 4xx HTML page, which is not retried', () => {
    const error = apiError(html(403, 'Access denied | Cloudflare'), 'GET')
    expect(error.message).toBe(
      'HTTP 403 with an HTML page titled "Access denied | Cloudflare" instead of Cloudflare\'s JSON answer',
    )
    expect(error.retryable).toBe(false)
  })

  it('describes a non-JSON body without a title by its type and size, and an empty body', () => {
    const text = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'upstream error' }
    expect(apiError(text).message).toMatch(/^HTTP 500 with a text\/plain body of 14 bytes instead/)
    expect(apiError({ status: 502, headers: {}, body: ' ' }).message).toMatch(
      /^HTTP 502 with an empty body \(no content type\) instead/,
    )
  })

  it('retries a 2xx that is not JSON; its outcome is unknown for a POST but not for a GET', () => {
    const response: HttpResponse = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>ok</html>' }
    const post = apiError(response, 'POST')
    expect(post.retryable).toBe(true)
    expect(post.outcomeUnknown).toBe(true)
    const get = apiError(response, 'GET')
    expect(get.retryable).toBe(true)
    expect(get.outcomeUnknown).toBe(false)
  })

  it('retries a 2xx JSON answer that is not an envelope, and points at api-base-url', () => {
    const error = apiError(json(200, { id: 'x' }), 'GET')
    expect(error.message).toBe(
      'HTTP 200 with JSON that is not Cloudflare\'s API envelope (no "success" field): is api-base-url right?',
    )
    expect(error.retryable).toBe(true)
    expect(apiError(json(404, ['x']), 'GET').retryable).toBe(false)
  })

  describe('hints', () => {
    const PERMISSION = '"Account → SSL and Certificates → Edit"'
    const credentials = expect.stringMatching(
      /^Cloudflare answers so both when it does not accept the API token .* when the token lacks the permission "Account → SSL and Certificates → Edit" on this account, and when account-id is not the ID of the account the token belongs to \(a zone ID pasted into account-id/,
    )
    const account = expect.stringMatching(
      /^Check account-id: it must be the ID of the account the API token belongs to/,
    )
    const permission = `The API token lacks permission: it needs ${PERMISSION} on this account.`
    const hintOf = (status: number, code: number, auth: 'token' | 'global-key' = 'token'): string | undefined =>
      apiError(failure(status, [{ code, message: 'x' }]), 'POST', NOW, auth).hint

    it('follows the credentials in use: api-email and api-key, not a token', () => {
      for (const code of [9109, 10000]) {
        const hint = hintOf(403, code, 'global-key')
        expect(hint).toMatch(
          /both when it does not accept api-email and api-key .* when the user's role .* and when account-id is not the ID of an account the user is a member of/,
        )
        expect(hint).not.toMatch(/the API token|the token/)
      }
      expect(hintOf(403, 7003, 'global-key')).toMatch(/account the user of api-email is a member of/)
      expect(hintOf(403, 9999, 'global-key')).toMatch(/^The user of api-email lacks permission/)
    })

    it('keeps the hint out of the message, which retry lines quote', () => {
      const error = apiError(failure(401, [{ code: 9109, message: 'Invalid access token' }]))
      expect(error.message).toBe('HTTP 401: [9109] Invalid access token')
      expect(error.hint).toEqual(credentials)
    })

    it('points at the credentials for 401 or an authentication error code on a 4xx', () => {
      expect(hintOf(401, 9109)).toEqual(credentials)
      expect(hintOf(400, 6003)).toEqual(credentials)
      expect(hintOf(403, 10000)).toEqual(credentials)
    })

    it('points at account-id for 7003, even with a 403', () => {
      expect(hintOf(403, 7003)).toEqual(account)
      expect(hintOf(404, 7000)).toEqual(account)
    })

    it('points at the token permissions for another 403', () => {
      expect(hintOf(403, 9999)).toBe(permission)
    })

    it('follows the HTTP status first: a 5xx is Cloudflare trouble, whatever code its body carries', () => {
      expect(hintOf(503, 10000)).toBe(SERVER_TROUBLE)
      expect(hintOf(500, 7003)).toBe(SERVER_TROUBLE)
      expect(hintOf(429, 10000)).toBe('Cloudflare is rate-limiting these credentials: re-run the job later.')
    })

    it('gives no hint for an ordinary 400 or a 2xx that says it failed', () => {
      expect(hintOf(400, 1400)).toBeUndefined()
      expect(hintOf(200, 10000)).toBeUndefined()
    })
  })
})

describe('htmlTitle', () => {
  it('reads the first title, collapsing its white space', () => {
    expect(htmlTitle('<html><HEAD><Title lang="en">\n 502:  Bad\tgateway </TITLE><title>2</title>')).toBe(
      '502: Bad gateway',
    )
  })

  it('gives nothing for a page without a title, an empty title, or an unclosed tag', () => {
    expect(htmlTitle('<html><body>no title</body></html>')).toBeUndefined()
    expect(htmlTitle('<title></title>')).toBeUndefined()
    expect(htmlTitle('<title')).toBeUndefined()
  })

  it('cuts a long title and looks only near the start of the page', () => {
    expect(htmlTitle(`<title>${'x'.repeat(500)}</title>`)).toBe('x'.repeat(120))
    expect(htmlTitle(`${' '.repeat(70_000)}<title>late</title>`)).toBeUndefined()
  })

  it('takes linear time on a hostile body of 8 MiB', () => {
    const started = performance.now()
    for (const body of ['<title'.repeat(1_400_000), `<title>${'<'.repeat(8_000_000)}`, `<title ${'a'.repeat(8e6)}`]) {
      htmlTitle(body)
    }
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

describe('answerOf, beyond the envelope checks above', () => {
  it('gives the result_info of a success when it is an object, and nothing else', () => {
    const paged = json(200, { success: true, errors: [], result: [], result_info: { page: 1, total_pages: 1 } })
    expect(answerOf(paged, NOW, 'GET', 'token')).toEqual({ result: [], resultInfo: { page: 1, total_pages: 1 } })
    const oddInfo = json(200, { success: true, errors: [], result: null, result_info: [1] })
    expect(answerOf(oddInfo, NOW, 'GET', 'token')).toEqual({ result: null })
  })

  it("explains a zone call's failure in the zone's terms: zone-id for a 404, the zone permission for a refusal", () => {
    expect(rejection(failure(404, []), 'PUT', 'zone1').hint).toBe(
      "Check zone-id: zone1 must be the ID of a zone that the credentials can reach (the Zone ID on the zone's Overview page, in the account of account-id).",
    )
    expect(rejection(failure(403, []), 'PUT', 'zone1').hint).toMatch(
      /^The API token needs the zone permission "Zone → SSL and Certificates → Edit" on zone zone1/,
    )
    expect(rejection(failure(400, [{ code: 7003, message: 'Could not route' }]), 'PUT', 'zone1').hint).toMatch(
      /^Check zone-id: /,
    )
    expect(rejection(failure(400, []), 'PUT', 'zone1').hint).toBeUndefined()
    expect(rejection(failure(503, []), 'PUT', 'zone1').hint).toBe(SERVER_TROUBLE)
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
