import { afterAll, expect } from 'vitest'
import type { ApiSettings, Credentials } from '../../src/cloudflare/settings.ts'
import type { InputSource } from '../../src/action/input-source.ts'
import { leafFingerprint } from '../../src/certificate/facts.ts'
import type { Clock } from '../../src/core/clock.ts'
import { CloudflareApi } from '../../src/cloudflare/mtls/client.ts'
import { type MtlsCertificate, type UploadBody } from '../../src/cloudflare/mtls/answers.ts'
import { answerOf } from '../../src/cloudflare/envelope.ts'
import { OperationError } from '../../src/core/errors.ts'
import type { AuditedCertificate } from '../../src/audit/expiry-report.ts'
import {
  createHttpClient,
  toTransportError,
  type HttpRequest,
  type HttpResponse,
  type HttpSend,
} from '../../src/cloudflare/http.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../test-kit/fixtures.ts'

/** Typed stand-ins for the unit tests: Cloudflare's answers, a clock that does not wait, fake accounts. */

/** Inputs and environment held in memory, as the runner would give them; an input not given is ''. */
export function inputSource(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): InputSource {
  return { input: (name) => inputs[name] ?? '', env }
}

export const NOW = Date.parse('2025-03-01T12:00:00Z')
export const BASE_URL = 'https://api.cloudflare.com/client/v4'
export const CERTIFICATES_URL = `${BASE_URL}/accounts/${ACCOUNT_ID}/mtls_certificates`

export function apiSettings(overrides: Partial<ApiSettings> = {}): ApiSettings {
  return {
    apiBaseUrl: BASE_URL,
    accountId: ACCOUNT_ID,
    credentials: { kind: 'token', token: API_TOKEN },
    maxRetries: 3,
    timeoutSeconds: 60,
    ...overrides,
  }
}

// --- Cloudflare's answers ---

type Headers = Record<string, string>
export type ApiMessages = { code: number; message: string }[]

export const json = (status: number, body: unknown, headers: Headers = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

export const success = (result: unknown, status = 200): HttpResponse =>
  json(status, { success: true, errors: [], messages: [], result })

export const failure = (status: number, errors: ApiMessages, headers: Headers = {}): HttpResponse =>
  json(status, { success: false, errors, messages: [], result: null }, headers)

export const html = (status: number, title: string): HttpResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=UTF-8' },
  body: `<!DOCTYPE html>\n<html><head>\n<title>${title}</title></head><body>{"not": "json"}</body></html>`,
})

/** The OperationError a call rejects with; fails the test if it resolves or rejects with something else. */
export async function operationError(promise: Promise<unknown>): Promise<OperationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(OperationError)
  return error as OperationError
}

// --- Time ---

/** A clock that only moves when the code under test sleeps. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = []
  private time: number
  private readonly randomValue: number
  constructor(time = NOW, randomValue = 0) {
    this.time = time
    this.randomValue = randomValue
  }
  now(): number {
    return this.time
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.time += ms
    return Promise.resolve()
  }
  random(): number {
    return this.randomValue
  }
}

// --- Cloudflare ---

/** A client over `send` with a fake clock, collecting the info lines it logs. */
export function fakeApi(
  send: HttpSend,
  options: Partial<ApiSettings> = {},
  random = 0,
): { api: CloudflareApi; clock: FakeClock; info: string[] } {
  const clock = new FakeClock(NOW, random)
  const info: string[] = []
  // The client says what it does through the log it is handed: its info lines are collected here.
  const api = new CloudflareApi(apiSettings(options), send, clock, {
    info: (message) => info.push(message),
    debug: () => undefined,
  })
  return { api, clock, info }
}

export type Step = HttpResponse | Error

/** An HttpSend that answers with the scripted steps in order (an Error is thrown) and records each request. */
export function scriptedSend(...steps: Step[]): HttpSend & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = []
  const send = (request: HttpRequest): Promise<HttpResponse> => {
    requests.push(request)
    const step = steps[requests.length - 1]
    if (step === undefined) return Promise.reject(new Error(`unexpected request ${requests.length}`))
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step)
  }
  return Object.assign(send, { requests })
}

export const connectionReset = (signal: AbortSignal) =>
  toTransportError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), signal)

/** What the fake account does with the next POST instead of answering normally. */
export type PostFault = 'reset-after-commit' | 'reset-before-commit' | 'html-503' | 'ca-quota-full'

/** An in-memory account: POST stores a certificate (1471 when its leaf is already there), GET lists them. */
export class FakeAccount {
  readonly stored: MtlsCertificate[] = []
  readonly requests: HttpRequest[] = []
  readonly postFaults: PostFault[] = []
  /** Lists that do not show the latest uploads yet, as an eventually consistent API may answer. */
  staleLists = 0
  /** Lists answered with 403, as to a token that may upload but not read. */
  refusedLists = 0
  private nextId = 1

  store(certificates: string | undefined, extra: Partial<MtlsCertificate> = {}): MtlsCertificate {
    const certificate: MtlsCertificate = {
      id: `cert-${this.nextId++}`,
      ...(certificates === undefined ? {} : { certificates }),
      ca: false,
      uploaded_on: '2025-03-01T12:00:00Z',
      ...extra,
    }
    this.stored.push(certificate)
    return certificate
  }

  readonly send = (request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> => {
    this.requests.push(request)
    if (request.url.split('?')[0] !== CERTIFICATES_URL)
      return Promise.resolve(failure(404, [{ code: 7003, message: 'No route' }]))
    if (request.method === 'GET') {
      if (this.refusedLists-- > 0) return Promise.resolve(failure(403, [{ code: 9999, message: 'Forbidden' }]))
      const listed = this.staleLists-- > 0 ? this.stored.slice(0, -1) : this.stored
      return Promise.resolve(success(listed))
    }
    const fault = this.postFaults.shift()
    if (fault === 'reset-before-commit') return Promise.reject(connectionReset(signal))
    if (fault === 'html-503') {
      return Promise.resolve({ status: 503, headers: { 'content-type': 'text/html' }, body: '<title>503</title>' })
    }
    if (fault === 'ca-quota-full') {
      return Promise.resolve(failure(400, [{ code: 1489, message: 'CA certificate quota reached.' }]))
    }
    const body = JSON.parse(request.body ?? '{}') as UploadBody
    const leaf = leafFingerprint(body.certificates)
    if (leaf === undefined) {
      return Promise.resolve(failure(400, [{ code: 1400, message: 'Unable to parse certificate.' }]))
    }
    if (this.stored.some((c) => c.certificates !== undefined && leafFingerprint(c.certificates) === leaf)) {
      return Promise.resolve(failure(400, [{ code: 1471, message: 'The certificate already exists.' }]))
    }
    const stored = this.store(body.certificates, { ca: body.ca, ...(body.name ? { name: body.name } : {}) })
    if (fault === 'reset-after-commit') return Promise.reject(connectionReset(signal))
    return Promise.resolve(success(stored))
  }

  calls(): string[] {
    return this.requests.map((r) => r.method)
  }
}

/** An audited certificate as the expiry report gives it: expiring in 19 days, unless overridden. */
export const auditedCertificate = (overrides: Partial<AuditedCertificate> = {}): AuditedCertificate => ({
  id: 'id-1',
  name: 'payments-client',
  ca: false,
  status: 'expiring',
  failing: false,
  expiresOn: '2026-06-20T12:00:00Z',
  daysLeft: 19,
  source: 'pem',
  ...overrides,
})

type AuthKind = Credentials['kind']

/** The `result` of an answer as the client reads it, with a token's auth unless said otherwise. */
export const resultOf = (response: HttpResponse, now: number, method: string, auth: AuthKind = 'token'): unknown =>
  answerOf(response, now, method, auth).result

/** The stand-in for a test file (checked against the OpenAPI after each test), with a client for it: retries off. */
export function standInApi(): { fake: () => FakeCloudflare; api: () => CloudflareApi } {
  let fake: FakeCloudflare | undefined
  let api: CloudflareApi | undefined
  const http = createHttpClient()
  useStandIn((started) => {
    fake = started
    api = fakeApi((request, signal) => http.send(request, signal), { apiBaseUrl: started.url, maxRetries: 0 }).api
  })
  afterAll(async () => {
    await http.close()
  })
  const must = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the stand-in has not started')
    return value
  }
  return { fake: () => must(fake), api: () => must(api) }
}
