import { describe, expect, it } from 'vitest'
import type { ApiSettings } from '../../../../src/cloudflare/settings.ts'
import { htmlTitle } from '../../../../src/cloudflare/envelope.ts'
import { resultOf } from '../../fakes.ts'
import { ApiError, TransportError } from '../../../../src/cloudflare/errors.ts'
import { toTransportError, type HttpResponse, type HttpSend } from '../../../../src/cloudflare/http.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../../../test-kit/fixtures.ts'
import { NOW, failure, fakeApi, html, json, operationError, scriptedSend, success, type Step } from '../../fakes.ts'

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

// --- CloudflareApi: requests and retries ---

function harness(steps: Step[], options: Partial<ApiSettings> = {}, random = 0) {
  const send = scriptedSend(...steps)
  return { ...fakeApi(send, options, random), send }
}
type Harness = ReturnType<typeof harness>

const OPERATION = "list the account's mTLS certificates"
const list = (h: Harness) => h.api.listCertificates()

const UNAVAILABLE = failure(503, [{ code: 10001, message: 'Service unavailable' }])
const UNAVAILABLE_TEXT = 'HTTP 503: [10001] Service unavailable'
const CERTIFICATE = { id: 'c1', name: 'payments', ca: false }

describe('CloudflareApi: the fields of its answers', () => {
  const odd = {
    id: 'c1',
    name: 42,
    issuer: 12345,
    serial_number: ['1'],
    signature: null,
    expires_on: 20310506,
    uploaded_on: '2025-01-01T00:00:00Z',
    ca: 'false',
    certificates: { pem: 'x' },
    type: 'custom',
    extra: 'dropped',
  }

  it('keeps text fields only when text and booleans only when booleans, in listings and upload answers', async () => {
    const listed = await list(harness([success([odd])]))
    expect(listed).toEqual([{ id: 'c1', uploaded_on: '2025-01-01T00:00:00Z', type: 'custom' }])
    const h = harness([success({ ...odd, ca: true, name: 'payments' })])
    const uploaded = await h.api.uploadCertificate({ ca: true, certificates: 'pem' }, () => undefined)
    expect(uploaded.certificate).toEqual({
      id: 'c1',
      name: 'payments',
      uploaded_on: '2025-01-01T00:00:00Z',
      ca: true,
      type: 'custom',
    })
  })

  it("keeps a type that is not text as one that is not custom, so the certificate is not taken as the user's", async () => {
    const listed = await list(harness([success([{ id: 'c1', type: 7 }, { id: 'c2' }])]))
    expect(listed).toEqual([{ id: 'c1', type: '7' }, { id: 'c2' }])
  })
})

describe('CloudflareApi.listing: result_info', () => {
  const page = (result: unknown[], resultInfo: unknown): HttpResponse =>
    json(200, { success: true, errors: [], messages: [], result, result_info: resultInfo })
  const info = (overrides: Record<string, unknown>) => ({
    page: 1,
    per_page: 50,
    count: 1,
    total_count: 1,
    total_pages: 1,
    ...overrides,
  })

  it('says a listing is partial when result_info tells of more pages or more certificates than returned', async () => {
    const morePages = await harness([page([CERTIFICATE], info({ total_pages: 3 }))]).api.listing()
    expect(morePages).toEqual({
      certificates: [CERTIFICATE],
      partial: 'Cloudflare listed 1 certificate (page 1 of 3): the listing is partial',
    })
    const moreCounted = await harness([page([CERTIFICATE], info({ total_count: 120, total_pages: 3 }))]).api.listing()
    expect(moreCounted.partial).toBe('Cloudflare listed 1 certificate of 120 (page 1 of 3): the listing is partial')
    // With ?type=custom, total_count may count the managed certificates left out on purpose.
    const counted = await harness([page([CERTIFICATE], info({ total_count: 2 }))]).api.listing()
    expect(counted.partial).toBeUndefined()
  })

  it('takes a listing as whole when result_info agrees, is absent, or holds no numbers', async () => {
    for (const resultInfo of [info({}), undefined, { total_count: '9', total_pages: '2' }, 'x']) {
      await expect(harness([page([CERTIFICATE], resultInfo)]).api.listing()).resolves.toEqual({
        certificates: [CERTIFICATE],
      })
    }
    // Counted before certificates without an id are left out: the answer held them all.
    const withOdd = await harness([page([CERTIFICATE, { no: 'id' }], info({ count: 2, total_count: 2 }))]).api.listing()
    expect(withOdd).toEqual({ certificates: [CERTIFICATE] })
  })

  it('lists a partial listing for the upload and post steps, saying so, as it means only fewer deletes', async () => {
    const h = harness([page([CERTIFICATE], info({ total_count: 60, total_pages: 2 }))])
    await expect(list(h)).resolves.toEqual([CERTIFICATE])
    expect(h.info).toEqual([
      'Cloudflare listed 1 certificate of 60 (page 1 of 2): the listing is partial; older certificates not listed are left as they are.',
    ])
  })
})

describe('CloudflareApi.listCertificates', () => {
  it('sends the request to the account endpoint with the token, for custom certificates only', async () => {
    const h = harness([success([CERTIFICATE])])
    await list(h)
    expect(h.send.requests).toEqual([
      {
        method: 'GET',
        url: `https://api.cloudflare.com/client/v4/accounts/${ACCOUNT_ID}/mtls_certificates?type=custom`,
        headers: expect.objectContaining({ authorization: `Bearer ${API_TOKEN}`, accept: 'application/json' }),
      },
    ])
  })

  it('retries a 503 with exponential backoff, then succeeds, logging each retry', async () => {
    const h = harness([UNAVAILABLE, UNAVAILABLE, success([CERTIFICATE, { no: 'id' }])])
    await expect(list(h)).resolves.toEqual([CERTIFICATE])
    expect(h.send.requests).toHaveLength(3)
    expect(h.clock.sleeps).toEqual([250, 500])
    expect(h.info).toEqual([
      `Attempt 1 of 4 to ${OPERATION} got ${UNAVAILABLE_TEXT}; retrying in 0.3 s.`,
      `Attempt 2 of 4 to ${OPERATION} got ${UNAVAILABLE_TEXT}; retrying in 0.5 s.`,
    ])
  })

  it('spreads the waits with the random number: the top of each step with random ≈ 1', async () => {
    const h = harness([UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, success([])], {}, 1 - Number.EPSILON)
    await list(h)
    expect(h.clock.sleeps).toEqual([500, 1000, 2000])
  })

  it('retries a network error that is not a timeout', async () => {
    const h = harness([
      new TransportError('network error (ECONNRESET: socket hang up)', { mayHaveReachedServer: true }),
      success([]),
    ])
    await expect(list(h)).resolves.toEqual([])
    expect(h.info).toEqual([
      `Attempt 1 of 4 to ${OPERATION} got network error (ECONNRESET: socket hang up); retrying in 0.3 s.`,
    ])
  })

  it.each([
    [400, [{ code: 1400, message: 'Bad request' }]],
    [401, [{ code: 10000, message: 'Authentication error' }]],
    [403, [{ code: 9999, message: 'Forbidden' }]],
  ])('never retries a %i', async (status, errors) => {
    const h = harness([failure(status, errors), success([])])
    const error = await operationError(list(h))
    expect(h.send.requests).toHaveLength(1)
    expect(h.clock.sleeps).toEqual([])
    expect(h.info).toEqual([])
    expect(error.message).toMatch(new RegExp(`^Could not ${OPERATION}: HTTP ${status}: \\[${errors[0]?.code}\\]`))
    expect(error.cause).toBeInstanceOf(ApiError)
  })

  it('says how many attempts were made when a retry fails for good', async () => {
    const h = harness([UNAVAILABLE, failure(404, [{ code: 1404, message: 'Not found' }])])
    const error = await operationError(list(h))
    expect(error.message).toBe(`Could not ${OPERATION} after 2 attempts: HTTP 404: [1404] Not found`)
  })

  it('honours Retry-After over the backoff', async () => {
    const h = harness([
      failure(429, [{ code: 971, message: 'Rate limited' }], { 'retry-after': '7' }),
      failure(503, [{ code: 10001, message: 'Busy' }], { 'retry-after-ms': '120' }),
      success([]),
    ])
    await list(h)
    expect(h.clock.sleeps).toEqual([7000, 120])
    expect(h.info[0]).toBe(`Attempt 1 of 4 to ${OPERATION} got HTTP 429: [971] Rate limited; retrying in 7.0 s.`)
    expect(h.info[1]).toMatch(/retrying in 0\.1 s\.$/)
  })

  it('gives up after max-retries + 1 attempts, quoting the last failure', async () => {
    const last = failure(502, [{ code: 10002, message: 'Bad gateway' }])
    const h = harness([UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, last, success([])])
    const error = await operationError(list(h))
    expect(error.message).toBe(
      `Could not ${OPERATION}: all 4 attempts failed; the last one got HTTP 502: [10002] Bad gateway. ${SERVER_TROUBLE}`,
    )
    expect(h.send.requests).toHaveLength(4)
    expect(h.clock.sleeps).toEqual([250, 500, 1000])
    expect(h.info).toHaveLength(3)
  })

  it('makes a single attempt with max-retries 0', async () => {
    const h = harness([UNAVAILABLE, success([])], { maxRetries: 0 })
    const error = await operationError(list(h))
    expect(error.message).toBe(
      `Could not ${OPERATION}: the only attempt (max-retries is 0) failed; the last one got ${UNAVAILABLE_TEXT}. ${SERVER_TROUBLE}`,
    )
    expect(h.send.requests).toHaveLength(1)
    expect(h.clock.sleeps).toEqual([])
  })

  it('fails, naming timeout-seconds, when Retry-After would pass the time budget', async () => {
    const h = harness([failure(429, [{ code: 971, message: 'Rate limited' }], { 'retry-after': '10' }), success([])], {
      timeoutSeconds: 5,
    })
    const error = await operationError(list(h))
    expect(error.message).toBe(
      `Could not ${OPERATION} within timeout-seconds (5 s): attempt 1 got HTTP 429: [971] Rate limited, and the next attempt would start after the time runs out (10 s wait, 5.0 s left)`,
    )
    expect(h.send.requests).toHaveLength(1)
    expect(h.clock.sleeps).toEqual([])
  })

  it('counts the budget from the first request, across backoff waits', async () => {
    // Waits of 250, 500 and 1000 ms fit in 2 s; the fourth, 2000 ms, does not fit in the 250 ms left.
    const h = harness(Array<Step>(11).fill(UNAVAILABLE), { timeoutSeconds: 2, maxRetries: 10 })
    const error = await operationError(list(h))
    expect(h.clock.sleeps).toEqual([250, 500, 1000])
    expect(h.send.requests).toHaveLength(4)
    expect(error.message).toBe(
      `Could not ${OPERATION} within timeout-seconds (2 s): attempt 4 got ${UNAVAILABLE_TEXT}, and the next attempt would start after the time runs out (2.0 s wait, 0.3 s left)`,
    )
  })

  it('ends a request that hangs when the time budget runs out, naming timeout-seconds, and does not retry', async () => {
    // A send that answers only when its signal aborts, as the HTTP client does.
    const hanging: HttpSend = (_request, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          reject(toTransportError(new Error('aborted'), signal))
        })
      })
    const { api } = fakeApi(hanging, { timeoutSeconds: 0.05 })
    const error = await operationError(api.listCertificates())
    expect(error.message).toBe(`Could not ${OPERATION}: no answer within timeout-seconds (0.05 s)`)
  })
})

describe('CloudflareApi.deleteCertificate', () => {
  const NOT_FOUND = failure(404, [{ code: 1404, message: 'Certificate not found' }])
  const RESET = new TransportError('network error (ECONNRESET: socket hang up)', { mayHaveReachedServer: true })

  const ID = 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1'

  it('counts a 404 after an attempt whose answer was lost as deleted by that attempt', async () => {
    const h = harness([RESET, NOT_FOUND])
    await expect(h.api.deleteCertificate(ID)).resolves.toBeUndefined()
    expect(h.send.requests.map((r) => `${r.method} ${r.url.replace(/^.*\/mtls_certificates/, '')}`)).toEqual([
      `DELETE /${ID}`,
      `DELETE /${ID}`,
    ])
  })

  it('reports a 404 on the first attempt: someone else deleted it', async () => {
    const h = harness([NOT_FOUND])
    const error = await operationError(h.api.deleteCertificate(ID))
    expect(error.message).toBe(`Could not delete certificate ${ID}: HTTP 404: [1404] Certificate not found`)
    expect(h.send.requests).toHaveLength(1)
  })

  it.each(['..', '', 'a/b', '%2e%2e', 'c1', '0123456789abcdef0123456789abcdef0'])(
    "sends nothing for an id that is not Cloudflare's: '%s'",
    async (id) => {
      const h = harness([NOT_FOUND])
      await expect(h.api.deleteCertificate(id)).rejects.toThrow(/not one Cloudflare gives/)
      await expect(h.api.listAssociations(id)).rejects.toThrow(/not one Cloudflare gives/)
      expect(h.send.requests).toEqual([])
    },
  )

  it('accepts both forms of id: a UUID, as Cloudflare gives, and 32 hex digits, as its OpenAPI shows', async () => {
    const h = harness([success(null), success(null)])
    await h.api.deleteCertificate('3fa85f64-5717-4562-b3fc-2c963f66afa6')
    await h.api.deleteCertificate('3FA85F6457174562B3FC2C963F66AFA6')
    expect(h.send.requests).toHaveLength(2)
  })
})
