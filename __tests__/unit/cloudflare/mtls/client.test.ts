import { describe, expect, it } from 'vitest'
import type { ApiSettings } from '../../../../src/cloudflare/settings.ts'
import { ApiError, TransportError } from '../../../../src/cloudflare/errors.ts'
import { toTransportError, type HttpResponse, type HttpSend } from '../../../../src/cloudflare/http.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../../../test-kit/fixtures.ts'
import { failure, fakeApi, json, operationError, scriptedSend, success, type Step } from '../../fakes.ts'

const SERVER_TROUBLE =
  'Cloudflare, or a proxy in between, is having trouble: re-run the job later (https://www.cloudflarestatus.com lists incidents).'

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
      `Could not ${OPERATION} within timeout-seconds (5 s): attempt 1 got HTTP 429: [971] Rate limited, and the next attempt starts only after the time runs out (10 s wait, 5.0 s left)`,
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
      `Could not ${OPERATION} within timeout-seconds (2 s): attempt 4 got ${UNAVAILABLE_TEXT}, and the next attempt starts only after the time runs out (2.0 s wait, 0.3 s left)`,
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
