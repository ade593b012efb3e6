import { describe, expect, it } from 'vitest'
import { CloudflareApi, OperationError, type MtlsCertificate, type UploadBody } from '../../src/cloudflare.ts'
import { leafFingerprint } from '../../src/certificate.ts'
import { toTransportError, type HttpRequest, type HttpResponse } from '../../src/http.ts'
import type { Clock } from '../../src/retry.ts'
import { caQuotaAdvice, findByLeaf, uploadOrAdopt } from '../../src/upload.ts'
import { ACCOUNT_ID, API_TOKEN, makeClient } from '../support/fixtures.ts'

const BASE = 'https://api.cloudflare.com/client/v4'
const ENDPOINT = `${BASE}/accounts/${ACCOUNT_ID}/mtls_certificates`

/** What the fake does with the next POST instead of answering normally. */
type PostFault = 'reset-after-commit' | 'reset-before-commit' | 'html-503'

const envelope = (status: number, result: unknown, errors: { code: number; message: string }[] = []): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ success: errors.length === 0, errors, messages: [], result }),
})

const connectionReset = (signal: AbortSignal) =>
  toTransportError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), signal)

/** An in-memory account: POST stores a certificate (1471 when its leaf is already there), GET lists them. */
class FakeAccount {
  readonly stored: MtlsCertificate[] = []
  readonly requests: HttpRequest[] = []
  readonly postFaults: PostFault[] = []
  /** Lists that do not show the latest uploads yet, as an eventually consistent API may answer. */
  staleLists = 0
  private nextId = 1

  store(certificates: string, extra: Partial<MtlsCertificate> = {}): MtlsCertificate {
    const certificate: MtlsCertificate = {
      id: `cert-${this.nextId++}`,
      certificates,
      ca: false,
      uploaded_on: '2025-03-01T12:00:00Z',
      ...extra,
    }
    this.stored.push(certificate)
    return certificate
  }

  readonly send = (request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> => {
    this.requests.push(request)
    if (request.url.split('?')[0] !== ENDPOINT)
      return Promise.resolve(envelope(404, null, [{ code: 7003, message: 'No route' }]))
    if (request.method === 'GET') {
      const listed = this.staleLists-- > 0 ? this.stored.slice(0, -1) : this.stored
      return Promise.resolve(envelope(200, listed))
    }
    const fault = this.postFaults.shift()
    if (fault === 'reset-before-commit') return Promise.reject(connectionReset(signal))
    if (fault === 'html-503') {
      return Promise.resolve({ status: 503, headers: { 'content-type': 'text/html' }, body: '<title>503</title>' })
    }
    const body = JSON.parse(request.body ?? '{}') as UploadBody
    const leaf = leafFingerprint(body.certificates)
    if (leaf === undefined) {
      return Promise.resolve(envelope(400, null, [{ code: 1400, message: 'Unable to parse certificate.' }]))
    }
    if (this.stored.some((c) => c.certificates !== undefined && leafFingerprint(c.certificates) === leaf)) {
      return Promise.resolve(envelope(400, null, [{ code: 1471, message: 'The certificate already exists.' }]))
    }
    const stored = this.store(body.certificates, { ca: body.ca, ...(body.name ? { name: body.name } : {}) })
    if (fault === 'reset-after-commit') return Promise.reject(connectionReset(signal))
    return Promise.resolve(envelope(200, stored))
  }

  calls(): string[] {
    return this.requests.map((r) => r.method)
  }
}

/** A clock whose sleeps return at once. */
function fakeClock(): Clock & { sleeps: number[] } {
  let time = Date.parse('2025-03-01T12:00:00Z')
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => time,
    sleep: (ms) => {
      sleeps.push(ms)
      time += ms
      return Promise.resolve()
    },
    random: () => 0,
  }
}

function setup() {
  const account = new FakeAccount()
  const clock = fakeClock()
  const info: string[] = []
  const api = new CloudflareApi(
    {
      apiBaseUrl: BASE,
      accountId: ACCOUNT_ID,
      credentials: { kind: 'token', token: API_TOKEN },
      maxRetries: 3,
      timeoutSeconds: 60,
    },
    account.send,
    clock,
    { info: (message) => info.push(message), debug: () => undefined },
  )
  const { ca, client, keyPem } = makeClient('ec')
  const body: UploadBody = {
    ca: false,
    name: 'payments-client',
    certificates: `${client.pem.trim()}\n${ca.pem.trim()}`,
    private_key: keyPem,
  }
  return { account, clock, info, api, body, fingerprint: client.x509.fingerprint256, ca, client }
}

/** The run started shortly before the fake account's upload times (2025-03-01T12:00:00Z). */
const RUN_START = Date.parse('2025-03-01T11:59:00Z')

describe('uploadOrAdopt', () => {
  it('uploads once when the account does not hold the certificate', async () => {
    const { account, api, body, fingerprint } = setup()
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(outcome.certificate).toEqual(account.stored[0])
    expect(account.calls()).toEqual(['POST'])
    expect(JSON.parse(account.requests[0]?.body ?? '')).toEqual(body)
  })

  it('adopts the certificate with the same leaf on a 1471 answer, and reports it as not created', async () => {
    const { account, api, body, fingerprint, ca, client } = setup()
    // Same name, other leaf: must not be taken for ours.
    account.store(makeClient('ec').client.pem, { name: 'payments-client' })
    // Our leaf, stored by an earlier run under another name.
    const existing = account.store(`${client.pem}${ca.pem}`, { name: 'older-upload' })
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome).toEqual({ certificate: existing, created: false })
    expect(account.calls()).toEqual(['POST', 'GET'])
    expect(account.stored).toHaveLength(2)
  })

  it('after a connection reset that stored the upload, lists and adopts it without a second POST', async () => {
    const { account, api, body, fingerprint, clock, info } = setup()
    account.postFaults.push('reset-after-commit')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(outcome.certificate.id).toBe(account.stored[0]?.id)
    expect(account.stored).toHaveLength(1)
    expect(account.calls()).toEqual(['POST', 'GET'])
    expect(clock.sleeps).toEqual([250])
    expect(info).toEqual([
      'Attempt 1 of 4 to upload the certificate got network error (ECONNRESET: socket hang up); retrying in 0.3 s.',
    ])
  })

  it('uploads again when the list shows that the failed attempt stored nothing', async () => {
    const { account, api, body, fingerprint } = setup()
    account.postFaults.push('reset-before-commit')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(account.stored).toHaveLength(1)
    expect(account.calls()).toEqual(['POST', 'GET', 'POST'])
  })

  it('looks before every later attempt, until the upload is found', async () => {
    const { account, api, body, fingerprint } = setup()
    // A 503 page (nothing stored), then a reset after the upload was stored.
    account.postFaults.push('html-503', 'reset-after-commit')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome.created).toBe(true)
    expect(account.stored).toHaveLength(1)
    expect(account.calls()).toEqual(['POST', 'GET', 'POST', 'GET'])
  })

  it('reports a 1471 after its own lost upload as created', async () => {
    const { account, api, body, fingerprint } = setup()
    account.postFaults.push('reset-after-commit')
    account.staleLists = 1
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome).toEqual({ certificate: account.stored[0], created: true })
    expect(account.stored).toHaveLength(1)
    // Stored, lost answer; a list that does not show it yet; a POST answered 1471; a list that does.
    expect(account.calls()).toEqual(['POST', 'GET', 'POST', 'GET'])
  })

  it('reports a certificate found after a failed attempt as not created when it predates the run', async () => {
    const { account, api, body, fingerprint, ca, client } = setup()
    const existing = account.store(`${client.pem}${ca.pem}`, { uploaded_on: '2025-01-10T08:00:00Z' })
    account.postFaults.push('html-503')
    const outcome = await uploadOrAdopt(api, body, fingerprint, RUN_START)
    expect(outcome).toEqual({ certificate: existing, created: false })
    expect(account.calls()).toEqual(['POST', 'GET'])
  })

  it('fails for good on a 4xx other than 1471', async () => {
    const { account, api, body, fingerprint } = setup()
    const error = await uploadOrAdopt(api, { ...body, certificates: 'garbage' }, fingerprint, RUN_START).then(
      () => undefined,
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(OperationError)
    expect((error as OperationError).message).toBe(
      'Could not upload the certificate: HTTP 400: [1400] Unable to parse certificate.',
    )
    expect(account.calls()).toEqual(['POST'])
  })
})

describe('findByLeaf', () => {
  it('compares by leaf certificate, not by name or chain order', async () => {
    const { account, api, fingerprint, client, ca } = setup()
    account.store(ca.pem, { ca: true, name: 'payments-client' })
    const ours = account.store(`${client.pem}${ca.pem}`, { name: 'renamed' })
    const listed = await api.listOnce()
    expect(findByLeaf(listed, fingerprint)).toEqual(ours)
    expect(findByLeaf(listed, ca.x509.fingerprint256)).toEqual(account.stored[0])
    expect(findByLeaf(listed, makeClient('ec').client.x509.fingerprint256)).toBeUndefined()
  })
})

describe('caQuotaAdvice', () => {
  const ca = (id: string, name: string | undefined, uploadedOn?: string): MtlsCertificate => ({
    id,
    ca: true,
    ...(name === undefined ? {} : { name }),
    ...(uploadedOn === undefined ? {} : { uploaded_on: uploadedOn }),
  })
  const listing = [
    ca('b', 'root', '2024-06-01T00:00:00Z'),
    { id: 'leaf', name: 'root', ca: false, uploaded_on: '2020-01-01T00:00:00Z' },
    ca('unknown-time', 'root'),
    ca('a', 'root', '2023-06-01T00:00:00Z'),
    ca('other', 'partner', '2022-01-01T00:00:00Z'),
  ]

  it('says why replace cannot help, and names the same-name CA certificates, oldest first', () => {
    const advice = caQuotaAdvice(listing, 'root')
    expect(advice).toMatch(
      /^The account holds as many CA certificates as Cloudflare allows .* replace deletes older certificates only after the new one is uploaded, so it cannot make room/,
    )
    expect(advice).toContain(
      "CA certificates named 'root', oldest first: a ('root', uploaded 2023-06-01T00:00:00Z), b ('root', uploaded 2024-06-01T00:00:00Z), unknown-time ('root', uploaded at an unknown time).",
    )
    expect(advice).not.toContain('leaf')
  })

  it('lists every CA certificate when none has the name', () => {
    expect(caQuotaAdvice(listing, 'new-root')).toContain(
      "No CA certificate is named 'new-root'; the account's CA certificates, oldest first: other ('partner', uploaded 2022-01-01T00:00:00Z), a (",
    )
    expect(caQuotaAdvice([], undefined)).toMatch(/The account's CA certificates, oldest first: none listed\.$/)
  })

  it('still advises when the account could not be listed', () => {
    expect(caQuotaAdvice(undefined, 'root')).toMatch(
      /then re-run\. \(The account's certificates could not be listed to suggest one\.\)$/,
    )
  })
})
