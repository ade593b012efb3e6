import { X509Certificate, createPrivateKey, randomInt, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { certificateFields } from './certificate-fields.ts'
import { matchOperation, validateRequest } from './openapi.ts'
import { readRequest } from './request-body.ts'
import {
  SCRIPT_NOT_FOUND,
  matchWorkersPath,
  scriptListing,
  scriptSettings,
  type WorkerBinding,
} from './fake-workers.ts'
import { FakeEstate } from './fake-estate.ts'
import { FakeAccess } from './fake-access.ts'
import { FakeOriginPull } from './fake-origin-pull.ts'

/**
 * A stateful stand-in for Cloudflare's mTLS certificate endpoints, on 127.0.0.1. It checks every
 * request against Cloudflare's OpenAPI, keeps the account's certificates, and can inject faults.
 */

export interface StoredCertificate {
  id: string
  name?: string
  issuer: string
  serial_number: string
  signature: string
  expires_on: string
  uploaded_on: string
  updated_at: string
  ca: boolean
  certificates: string
  type: CertificateType
  /** Kept to check what was sent; never returned. */
  private_key?: string
}

/** `custom` for uploaded certificates; Gateway and Access keep managed ones in the same list. */
export type CertificateType = 'custom' | 'gateway_managed' | 'access_managed'

export interface RecordedRequest {
  method: string
  path: string
  /** The query string, with its `?` (empty without one). */
  query: string
  headers: Record<string, string | string[] | undefined>
  body: string
  json?: unknown
}

export type Fault =
  /** Answer with this status, body and headers instead of handling the request. */
  | { kind: 'respond'; status: number; body: string; headers?: Record<string, string> }
  /** Drop the connection without an answer, before handling the request. */
  | { kind: 'reset' }
  /** Handle the request (the upload takes effect), then drop the connection: the answer is lost. */
  | { kind: 'reset-after-commit' }
  /** Accept the request and never answer. */
  | { kind: 'hang' }

export interface FaultRule {
  method?: string
  /** Matches when the request path ends with this. */
  pathSuffix?: string
  fault: Fault
  /** How many matching requests it applies to; default 1, Infinity for all. */
  times?: number
}

export type Credentials = { token: string } | { email: string; key: string }

export interface FakeCloudflareOptions {
  accountId: string
  /** The credentials it accepts: one kind, or several (a request passes with any of them). */
  credentials: Credentials | readonly Credentials[]
  /** The account's zones, for API Shield's hostname associations; none by default. */
  zoneIds?: readonly string[]
}

/** A fault that answers with Cloudflare's error envelope. */
export function errorAnswer(
  status: number,
  errors: { code: number; message: string }[],
  headers: Record<string, string> = {},
): Fault {
  return { kind: 'respond', status, headers, body: envelope(null, errors) }
}

/** A fault that answers with a successful envelope holding `result`: what a hostile or broken API might send. */
export function successAnswer(result: unknown, status = 200): Fault {
  return { kind: 'respond', status, body: envelope(result) }
}

/** A listing whose `result_info` says Cloudflare holds more than it listed: one page of several. */
export function partialListingAnswer(
  listed: readonly unknown[],
  resultInfo: { total_count: number; total_pages: number },
): Fault {
  return {
    kind: 'respond',
    status: 200,
    body: JSON.stringify({
      success: true,
      errors: [],
      messages: [],
      result: listed,
      result_info: { page: 1, per_page: 50, count: listed.length, ...resultInfo },
    }),
  }
}

const envelope = (result: unknown, errors: { code: number; message: string }[] = []) =>
  JSON.stringify({ success: errors.length === 0, errors, messages: [], result: errors.length === 0 ? result : null })

export class FakeCloudflare {
  readonly certificates = new Map<string, StoredCertificate>()
  readonly associations = new Map<string, { service: string; status: string }[]>()
  readonly requests: RecordedRequest[] = []
  readonly faults: FaultRule[] = []
  /** Problems found in requests against the OpenAPI; a test expects this to stay empty. */
  readonly specViolations: string[] = []
  private server?: Server
  /** Over TLS: the host name the server certificate is for, which clients must ask for. */
  private tlsHost: string | undefined
  private lastUpload = 0
  private readonly hanging = new Set<ServerResponse>()
  /** How long each answer takes, as a distant API's would: for measuring concurrency. */
  answerDelayMs = 0
  /** The most requests it has been handling at once. */
  peakConcurrent = 0
  private concurrent = 0

  readonly options: FakeCloudflareOptions

  constructor(options: FakeCloudflareOptions) {
    this.options = options
    this.estate = new FakeEstate(options.accountId, this.workers, () => this.workerReadsForbidden)
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo
    return this.tlsHost
      ? `https://${this.tlsHost}:${address.port}/client/v4`
      : `http://127.0.0.1:${address.port}/client/v4`
  }

  /**
   * Listens on 127.0.0.1; with `tls` (a server certificate for `host`, default localhost, and its key),
   * over HTTPS.
   */
  async start(port = 0, tls?: { cert: string; key: string; host?: string }): Promise<this> {
    const handler = (request: IncomingMessage, response: ServerResponse): void => void this.handle(request, response)
    this.tlsHost = tls ? (tls.host ?? 'localhost') : undefined
    this.server = tls ? createHttpsServer(tls, handler) : createServer(handler)
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy()
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => {
      this.server?.close(() => {
        resolve()
      })
    })
  }

  /** Adds a certificate directly, as if uploaded earlier; `id` replaces the generated one (any text, as a hostile API's). */
  seed(
    pem: string,
    fields: {
      name?: string
      ca?: boolean
      uploadedOn?: string
      inUseBy?: string[]
      id?: string
      type?: CertificateType
    } = {},
  ): StoredCertificate {
    const stored = this.store(pem, fields.name, fields.ca ?? false, undefined, fields.uploadedOn)
    if (fields.type) stored.type = fields.type
    if (fields.id !== undefined) {
      this.certificates.delete(stored.id)
      stored.id = fields.id
      this.certificates.set(stored.id, stored)
    }
    if (fields.inUseBy)
      this.associations.set(
        stored.id,
        fields.inUseBy.map((service) => ({ service, status: 'active' })),
      )
    return stored
  }

  /** Forgets everything between tests: certificates, associations, requests and faults. */
  reset(): void {
    this.access.reset()
    this.originPull.reset()
    this.workers.clear()
    this.estate.reset()
    this.workerReadsForbidden = false
    this.certificates.clear()
    this.associations.clear()
    this.resetZones()
    this.requests.length = 0
    this.faults.length = 0
    this.answerDelayMs = 0
    this.peakConcurrent = 0
    // Each test is checked for violations before this: one test's must not fail the next.
    this.specViolations.length = 0
  }

  inject(rule: FaultRule): void {
    this.faults.push({ times: 1, ...rule })
  }

  requestsTo(method: string, pathSuffix = ''): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.endsWith(pathSuffix))
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const rule = this.faults.find(
      (f) => (!f.method || f.method === method) && (!f.pathSuffix || path.endsWith(f.pathSuffix)),
    )
    if (!rule) return undefined
    rule.times = (rule.times ?? 1) - 1
    if (rule.times <= 0) this.faults.splice(this.faults.indexOf(rule), 1)
    return rule.fault
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { body, url, method } = await readRequest(request)
    const recorded: RecordedRequest = { method, path: url.pathname, query: url.search, headers: request.headers, body }
    try {
      recorded.json = body ? JSON.parse(body) : undefined
    } catch {
      // Recorded as text; validation reports it.
    }
    this.requests.push(recorded)
    this.peakConcurrent = Math.max(this.peakConcurrent, ++this.concurrent)
    response.on('close', () => this.concurrent--)
    if (this.answerDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.answerDelayMs))

    const fault = this.takeFault(method, url.pathname)
    if (fault?.kind === 'reset') return void request.socket.destroy()
    if (fault?.kind === 'hang') return void this.hanging.add(response)
    if (fault?.kind === 'respond') {
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers })
      return void response.end(fault.body)
    }

    const [status, payload] = this.route(
      method,
      url.pathname.replace(/^\/client\/v4/, ''),
      request.headers,
      body,
      url.searchParams,
    )
    if (fault?.kind === 'reset-after-commit') return void request.socket.destroy()
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(payload)
  }

  private route(
    method: string,
    path: string,
    headers: IncomingMessage['headers'],
    body: string,
    query = new URLSearchParams(),
  ): [number, string] {
    if (this.estate.handles(method, path)) {
      if (!this.authenticated(headers)) return [403, envelope(null, [{ code: 10000, message: 'Authentication error' }])]
      const answer = this.estate.route(method, path, query, body, headers)
      this.specViolations.push(...answer.violations)
      return [answer.status, answer.payload]
    }
    const workers = matchWorkersPath(path)
    if (workers && method === 'GET') return this.routeWorkers(headers, workers)
    const matched = matchOperation(method, path)
    if (!matched) return [404, envelope(null, [{ code: 7000, message: 'No route for that URI' }])]
    const problems = validateRequest(matched, headers, body, withoutPage(matched.template, query))
    if (problems.length > 0) {
      this.specViolations.push(...problems.map((p) => `${method} ${matched.template}: ${p}`))
      return [
        400,
        envelope(
          null,
          problems.map((message) => ({ code: 1001, message })),
        ),
      ]
    }
    if (!this.authenticated(headers)) return [403, envelope(null, [{ code: 10000, message: 'Authentication error' }])]
    const estate = this.routeEstate(method, matched.template, matched.params, query, body)
    if (estate) return estate
    if (matched.params.zone_id !== undefined) return this.routeZone(method, matched.params.zone_id, query, body)
    if (matched.params.account_id !== this.options.accountId) {
      return [
        403,
        envelope(null, [
          { code: 7003, message: 'Could not route to /accounts, perhaps your object identifier is invalid?' },
        ]),
      ]
    }
    const id = matched.params.mtls_certificate_id ?? ''
    const existing = this.certificates.get(id)
    switch (`${method} ${matched.template.replace('/accounts/{account_id}/mtls_certificates', '')}`) {
      case 'GET ': {
        const types = this.typeFilter(query)
        const all = [...this.certificates.values()].filter((c) => !types || types.includes(c.type)).map(publicView)
        return [
          200,
          JSON.stringify({
            success: true,
            errors: [],
            messages: [],
            result: all,
            // One page holding them all, as the endpoint takes no page parameter: per_page at least the count.
            result_info: {
              page: 1,
              per_page: Math.max(50, all.length),
              count: all.length,
              total_count: all.length,
              total_pages: 1,
            },
          }),
        ]
      }
      case 'POST ':
        return this.upload(
          JSON.parse(body) as { ca: boolean; certificates: string; name?: string; private_key?: string },
        )
      case 'GET /{mtls_certificate_id}':
        return existing ? [200, envelope(publicView(existing))] : notFound()
      case 'DELETE /{mtls_certificate_id}':
        if (!existing) return notFound()
        if (this.inUse(id))
          return [400, envelope(null, [{ code: 1499, message: 'The certificate is in use and cannot be deleted' }])]
        this.certificates.delete(id)
        return [200, envelope({ id })]
      case 'GET /{mtls_certificate_id}/associations':
        return existing ? [200, associationPage(this.readAssociations(id), query)] : notFound()
      default:
        return [405, envelope(null, [{ code: 10405, message: 'Method not allowed' }])]
    }
  }

  // --- The rest of the estate: Access mTLS (fake-access.ts) and Authenticated Origin Pulls (fake-origin-pull.ts).

  /** The Access mTLS store, account-wide and per zone. */
  readonly access = new FakeAccess()
  /** Authenticated Origin Pulls, zone-level and per hostname. */
  readonly originPull = new FakeOriginPull()

  /** Answers an Access or origin pull request (for this account and its zones only); undefined for any other path. */
  private routeEstate(
    method: string,
    template: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: string,
  ): [number, string] | undefined {
    if (!template.includes('/access/certificates') && !template.includes('/origin_tls_client_auth')) return undefined
    const zone = params.zone_id
    if (
      zone === undefined ? params.account_id !== this.options.accountId : !(this.options.zoneIds ?? []).includes(zone)
    )
      return [
        403,
        envelope(null, [{ code: 7003, message: 'Could not route, perhaps your object identifier is invalid?' }]),
      ]
    return (
      this.access.route(method, template, params, query, body) ?? this.originPull.route(method, template, params, body)
    )
  }

  // --- Workers: the account's scripts and their bindings.

  /** The account's Workers, by name, with their bindings. */
  readonly workers = new Map<string, WorkerBinding[]>()
  /** Answer every Workers call 403, as for a token without "Workers Scripts: Read". */
  workerReadsForbidden = false
  /** Deployments and versions, dispatch namespaces, Pages and Hyperdrive (fake-estate.ts). */
  readonly estate: FakeEstate

  /** Deploys (or redeploys) a Worker with these mtls_certificate bindings, as wrangler deploy would. */
  deployWorker(name: string, certificates: Record<string, string> = {}): void {
    this.estate.deployVersions(name, [{ certificates, percentage: 100 }])
  }

  private routeWorkers(
    headers: IncomingMessage['headers'],
    { accountId, script }: { accountId: string; script?: string },
  ): [number, string] {
    if (!this.authenticated(headers) || this.workerReadsForbidden) {
      return [403, envelope(null, [{ code: 10000, message: 'Authentication error' }])]
    }
    if (accountId !== this.options.accountId) {
      return [
        403,
        envelope(null, [
          { code: 7003, message: 'Could not route to /accounts, perhaps your object identifier is invalid?' },
        ]),
      ]
    }
    if (script === undefined) return [200, envelope([...this.workers.keys()].map(scriptListing))]
    const bindings = this.workers.get(script)
    return bindings ? [200, envelope(scriptSettings(bindings))] : [404, envelope(null, [SCRIPT_NOT_FOUND])]
  }

  // --- API Shield: a zone's hostnames per CA (GET/PUT /zones/{zone_id}/certificate_authorities/hostname_associations).

  /** Each zone's hostnames, per mTLS certificate id; the key '' is the zone's Cloudflare-managed CA. */
  readonly zoneHostnames = new Map<string, Map<string, string[]>>()
  /**
   * How many association reads still report a CA in use after it lost its last hostname in a zone, as
   * Cloudflare's associations lag behind; 0 (no lag) by default. DELETE refuses it while it is reported.
   */
  associationLag = 0
  /** Per CA: the reads left of the lag, and how many detached hostnames it still reports. */
  private readonly lagging = new Map<string, { reads: number; hostnames: number }>()

  /** Associates hostnames with a CA directly, as if done earlier (by hand, or by an earlier run). */
  attach(zoneId: string, certificateId: string, hostnames: readonly string[]): void {
    const zone = this.zoneHostnames.get(zoneId) ?? new Map<string, string[]>()
    this.zoneHostnames.set(zoneId, zone)
    zone.set(certificateId, [...new Set([...(zone.get(certificateId) ?? []), ...hostnames])])
  }

  /** The hostnames of a zone associated with a CA ('' for the managed CA). */
  hostnamesOf(zoneId: string, certificateId: string): string[] {
    return [...(this.zoneHostnames.get(zoneId)?.get(certificateId) ?? [])]
  }

  private resetZones(): void {
    this.zoneHostnames.clear()
    this.lagging.clear()
    this.associationLag = 0
  }

  /**
   * API Shield's use of a CA: one association per hostname it serves, in any zone, and one per
   * hostname detached while the lag lasts (Cloudflare's answer does not name the zone or hostname).
   */
  private apiShieldUse(id: string): { service: string; status: string }[] {
    const attached = [...this.zoneHostnames.values()].reduce((sum, zone) => sum + (zone.get(id) ?? []).length, 0)
    const lagging = this.lagging.get(id)?.hostnames ?? 0
    return Array.from({ length: attached + lagging }, () => ({ service: 'api_shield', status: 'active' }))
  }

  private inUse(id: string): boolean {
    return (this.associations.get(id) ?? []).length > 0 || this.apiShieldUse(id).length > 0
  }

  /** What GET …/associations answers; each read counts down a lag. */
  private readAssociations(id: string): { service: string; status: string }[] {
    const answer = [...(this.associations.get(id) ?? []), ...this.apiShieldUse(id)]
    const lag = this.lagging.get(id)
    if (lag !== undefined) {
      if (lag.reads <= 1) this.lagging.delete(id)
      else this.lagging.set(id, { ...lag, reads: lag.reads - 1 })
    }
    return answer
  }

  private routeZone(method: string, zoneId: string, query: URLSearchParams, body: string): [number, string] {
    if (!(this.options.zoneIds ?? []).includes(zoneId)) {
      return [
        403,
        envelope(null, [
          { code: 7003, message: 'Could not route to /zones, perhaps your object identifier is invalid?' },
        ]),
      ]
    }
    if (method === 'GET') {
      const id = query.get('mtls_certificate_id') ?? ''
      if (id && !this.certificates.has(id)) return notFound()
      return [200, envelope({ hostnames: this.hostnamesOf(zoneId, id) })]
    }
    const request = JSON.parse(body) as { hostnames?: string[]; mtls_certificate_id?: string }
    const id = request.mtls_certificate_id ?? ''
    if (id && !this.certificates.has(id)) return notFound()
    if (id && this.certificates.get(id)?.ca !== true)
      return [400, envelope(null, [{ code: 1406, message: 'The certificate is not a CA certificate' }])]
    const zone = this.zoneHostnames.get(zoneId) ?? new Map<string, string[]>()
    this.zoneHostnames.set(zoneId, zone)
    const before = zone.get(id) ?? []
    const after = [...new Set(request.hostnames ?? [])]
    zone.set(id, after)
    const detached = before.filter((hostname) => !after.includes(hostname)).length
    if (id && detached > 0 && this.associationLag > 0) {
      const hostnames = detached + (this.lagging.get(id)?.hostnames ?? 0)
      this.lagging.set(id, { reads: this.associationLag, hostnames })
    }
    return [200, envelope({ hostnames: after })]
  }

  /** The list's `type` filter (comma-separated, form style), each value checked by validateRequest against the spec's enum. */
  private typeFilter(query: URLSearchParams): string[] | undefined {
    return query.get('type')?.split(',')
  }

  private authenticated(headers: IncomingMessage['headers']): boolean {
    const accepted: readonly Credentials[] = Array.isArray(this.options.credentials)
      ? this.options.credentials
      : [this.options.credentials as Credentials]
    return accepted.some((credentials) =>
      'token' in credentials
        ? headers.authorization === `Bearer ${credentials.token}`
        : headers['x-auth-email'] === credentials.email && headers['x-auth-key'] === credentials.key,
    )
  }

  private upload(body: { ca: boolean; certificates: string; name?: string; private_key?: string }): [number, string] {
    let leaf: X509Certificate
    try {
      leaf = new X509Certificate(body.certificates)
    } catch {
      return [400, envelope(null, [{ code: 1412, message: 'Invalid certificate' }])]
    }
    const duplicate = [...this.certificates.values()].some(
      (c) => new X509Certificate(c.certificates).fingerprint256 === leaf.fingerprint256,
    )
    if (duplicate) return [400, envelope(null, [{ code: 1471, message: 'This certificate already exists' }])]
    if (body.private_key !== undefined) {
      try {
        if (!leaf.checkPrivateKey(createPrivateKey(body.private_key))) throw new Error('mismatch')
      } catch {
        return [400, envelope(null, [{ code: 1413, message: 'The private key does not match the certificate' }])]
      }
    }
    return [200, envelope(publicView(this.store(body.certificates, body.name, body.ca, body.private_key)))]
  }

  private store(
    pem: string,
    name: string | undefined,
    ca: boolean,
    privateKey?: string,
    uploadedOn?: string,
  ): StoredCertificate {
    const fields = certificateFields(pem)
    // Strictly increasing upload times, as two uploads in one millisecond would tie; in microseconds,
    // as Cloudflare writes them (2022-11-22T17:32:30.467938Z).
    this.lastUpload = uploadedOn ? this.lastUpload : Math.max(Date.now() * 1000 + randomInt(1000), this.lastUpload + 1)
    const uploaded = uploadedOn ?? microsecondTime(this.lastUpload)
    const stored: StoredCertificate = {
      // Cloudflare's ids are UUIDs.
      id: randomUUID(),
      ...(name === undefined ? {} : { name }),
      issuer: fields.issuer,
      serial_number: fields.serialNumber,
      signature: fields.signature,
      expires_on: fields.expiresOn,
      uploaded_on: uploaded,
      updated_at: uploaded,
      ca,
      certificates: pem,
      type: 'custom',
      ...(privateKey === undefined ? {} : { private_key: privateKey }),
    }
    this.certificates.set(stored.id, stored)
    return stored
  }
}

/** Cloudflare's page size for a certificate's associations. */
export const ASSOCIATIONS_PER_PAGE = 20

/**
 * One page of associations, as Cloudflare answers them: 20 a page with a `result_info`; a page past
 * the last is empty. `?page=` is Cloudflare's paging convention, left out of this operation in the
 * OpenAPI, so it is the one query parameter accepted beyond it (withoutPage).
 */
function associationPage(all: readonly unknown[], query: URLSearchParams): string {
  const page = Math.max(1, Number.parseInt(query.get('page') ?? '1', 10) || 1)
  const result = all.slice((page - 1) * ASSOCIATIONS_PER_PAGE, page * ASSOCIATIONS_PER_PAGE)
  const totalPages = Math.max(1, Math.ceil(all.length / ASSOCIATIONS_PER_PAGE))
  const info = {
    page,
    per_page: ASSOCIATIONS_PER_PAGE,
    count: result.length,
    total_count: all.length,
    total_pages: totalPages,
  }
  return JSON.stringify({ success: true, errors: [], messages: [], result, result_info: info })
}

function withoutPage(template: string, query: URLSearchParams): URLSearchParams {
  // Access lists page with page and per_page (V4PagePaginationArray), which the 2024 description leaves out.
  const access = template.endsWith('/access/certificates')
  if (!template.endsWith('{mtls_certificate_id}/associations') && !access) return query
  const rest = new URLSearchParams(query)
  rest.delete('page')
  if (access) rest.delete('per_page')
  return rest
}

/** Microseconds since the epoch as Cloudflare's timestamps: ISO 8601 with six fractional digits. */
function microsecondTime(microseconds: number): string {
  const seconds = new Date(Math.floor(microseconds / 1_000_000) * 1000).toISOString().slice(0, 19)
  return `${seconds}.${String(microseconds % 1_000_000).padStart(6, '0')}Z`
}

function publicView(stored: StoredCertificate): Omit<StoredCertificate, 'private_key'> {
  const { private_key: _omitted, ...rest } = stored
  return rest
}

const notFound = (): [number, string] => [404, envelope(null, [{ code: 1404, message: 'Certificate not found' }])]
