import { isCertificateId, refusedId } from './values.ts'
import { associationsPath, certificatePath, certificatesPath, customCertificatesPath } from './endpoints.ts'
import type { Clock } from '../core/clock.ts'
import { allAssociations, readAssociationPages, type AssociationListing } from './association-pages.ts'
import {
  certificateFrom,
  certificateOf,
  partialListing,
  type Association,
  type CertificateListing,
  type MtlsCertificate,
  type UploadBody,
  type Uploaded,
} from './answers.ts'
import { answerOf, type Answer } from './envelope.ts'
import { ApiError, CLOUDFLARE_CODES, TransportError } from './errors.ts'
import type { HttpRequest, HttpSend } from './http.ts'
import { log } from '../action/log.ts'
import { Retries, type EarlierAttempts } from './retry.ts'
import type { ApiSettings, Credentials } from './settings.ts'
import { zoneHostnamesClient, type ZoneHostnamesClient } from './zone-hostnames.ts'

const USER_AGENT = 'cloudflare-mtls-certificate-action/1'

/**
 * Cloudflare's API for one account: each method one endpoint, retried on transient failures within
 * the run's one time budget (retry.ts). A new endpoint is a path (endpoints.ts), a method and the shape of its result.
 */
export class CloudflareApi {
  private readonly settings: ApiSettings
  private readonly send: HttpSend
  /** The clock its retries and time limit run on, for waits that share the limit. */
  readonly clock: Clock
  private readonly retries: Retries

  constructor(settings: ApiSettings, send: HttpSend, clock: Clock) {
    this.settings = settings
    this.send = send
    this.clock = clock
    this.retries = new Retries(settings, clock)
  }

  /**
   * The certificates listed. A partial listing only hides candidates from replace (fewer deletes), so it
   * is said, not refused; the audit, which vouches for every certificate, uses `listing` and refuses it.
   */
  async listCertificates(): Promise<MtlsCertificate[]> {
    const { certificates, partial } = await this.listing()
    if (partial) log.info(`${partial}; older certificates not listed are left as they are.`)
    return certificates
  }

  /** The certificates listed, and whether the answer said it holds them all. */
  listing(): Promise<CertificateListing> {
    return this.retries.withRetries("list the account's mTLS certificates", () => this.certificatesOnce())
  }

  /**
   * Uploads a certificate, never twice: when Cloudflare says the account holds it already (1471), or
   * an earlier attempt may have stored it, the listing is searched with `find` instead.
   */
  uploadCertificate(
    body: UploadBody,
    find: (certificates: readonly MtlsCertificate[]) => MtlsCertificate | undefined,
  ): Promise<Uploaded> {
    return this.retries.withRetries('upload the certificate', async (earlier: EarlierAttempts) => {
      const found = async (): Promise<Uploaded | undefined> => {
        const certificate = find((await this.certificatesOnce()).certificates)
        return certificate && { certificate, uploaded: false, afterLostAnswer: earlier.mayHaveTakenEffect }
      }
      const foundEarlier = earlier.mayHaveTakenEffect ? await found() : undefined
      if (foundEarlier) return foundEarlier
      try {
        return {
          certificate: certificateOf(await this.request('POST', certificatesPath(this.settings.accountId), body)),
          uploaded: true,
        }
      } catch (error) {
        const existing =
          error instanceof ApiError && error.hasCode(CLOUDFLARE_CODES.certificateExists) ? await found() : undefined
        if (existing) return existing
        throw error
      }
    })
  }

  deleteCertificate(id: string): Promise<void> {
    if (!isCertificateId(id)) return Promise.reject(refusedId(id))
    return this.retries.withRetries(`delete certificate ${id}`, async (earlier) => {
      try {
        await this.request('DELETE', certificatePath(this.settings.accountId, id))
      } catch (error) {
        // Gone after an attempt whose answer was lost: that attempt deleted it.
        if (earlier.mayHaveTakenEffect && error instanceof ApiError && error.notFound) return
        throw error
      }
    })
  }

  /**
   * One call to any endpoint (`path` from endpoints.ts), retried within the run's time budget, with the
   * envelope's `result` and `result_info`: what a module for another part of Cloudflare's API builds on.
   * A write whose earlier attempt lost its answer may have taken effect: `lookFirst`, when given, is
   * asked then, before writing again, and what it finds is the answer. With `zoneId`, failures are
   * explained in the zone's terms.
   */
  call(
    what: string,
    method: HttpRequest['method'],
    path: string,
    body?: object,
    options: { zoneId?: string; lookFirst?: () => Promise<Answer | undefined> } = {},
  ): Promise<Answer> {
    return this.retries.withRetries(what, async (earlier) => {
      const found = earlier.mayHaveTakenEffect && options.lookFirst ? await options.lookFirst() : undefined
      return found ?? this.answer(method, path, body, options.zoneId)
    })
  }

  /** API Shield's hostname associations in one zone, per CA (zone-hostnames.ts). */
  zoneHostnames(zoneId: string): ZoneHostnamesClient {
    return zoneHostnamesClient({ retries: this.retries, request: (...call) => this.request(...call) }, zoneId)
  }

  /** When the run's time budget (timeout-seconds) runs out: waits between calls stay within it too. */
  deadlineAt(): number {
    return this.retries.deadlineAt()
  }

  /**
   * The services using the certificate, every page read; an answer of any other shape fails, and so
   * does a listing left partial (association-pages.ts), so that it never reads as "none".
   */
  async listAssociations(id: string): Promise<Association[]> {
    return allAssociations(await this.associationListing(id), id)
  }

  /** The certificate's associations as far as they were read: the audit reports a partial one as "at least". */
  associationListing(id: string): Promise<AssociationListing> {
    if (!isCertificateId(id)) return Promise.reject(refusedId(id))
    const readPage = (page: number): Promise<Answer> =>
      this.retries.withRetries(`read the associations of certificate ${id}`, () =>
        this.answer('GET', associationsPath(this.settings.accountId, id, page)),
      )
    return readAssociationPages(readPage, () => this.outOfTime())
  }

  get accountId(): string {
    return this.settings.accountId
  }

  /**
   * A GET of one of the account's resources (`path`, from endpoints.ts), retried, its result read by
   * `parse`; with `absent`, a 404 answers that instead of failing.
   */
  readAccount<T>(
    what: string,
    path: string,
    parse: (result: unknown, resultInfo: Record<string, unknown> | undefined) => T,
    absent?: T,
  ): Promise<T> {
    return this.retries.withRetries(what, async () => {
      try {
        const { result, resultInfo } = await this.answer('GET', path)
        return parse(result, resultInfo)
      } catch (error) {
        if (absent !== undefined && error instanceof ApiError && error.status === 404) return absent
        throw error
      }
    })
  }

  get timeoutSeconds(): number {
    return this.settings.timeoutSeconds
  }

  /** The time budget (timeout-seconds) started and is spent: no further request can run. */
  outOfTime(): boolean {
    return this.retries.outOfTime()
  }

  /**
   * The certificates the user uploaded: Cloudflare lists those it manages (Gateway, Access) too, unless
   * asked not to. An answer that holds no list is an error, not an empty account: read as one, the audit
   * would report all clear.
   */
  private async certificatesOnce(): Promise<CertificateListing> {
    const { result, resultInfo } = await this.answer('GET', customCertificatesPath(this.settings.accountId))
    if (!Array.isArray(result)) {
      throw new ApiError('Cloudflare reported success but its answer holds no list of certificates', 200, [], {
        retryable: false,
        outcomeUnknown: false,
      })
    }
    const certificates = result.flatMap((value) => {
      const certificate = certificateFrom(value)
      return certificate ? [certificate] : []
    })
    const partial = partialListing(result.length, resultInfo)
    return partial ? { certificates, partial } : { certificates }
  }

  /**
   * One request: the envelope's `result` on success, ApiError or TransportError otherwise. With
   * `zoneId`, a zone call, whose failures the envelope explains in the zone's terms.
   */
  private async request(method: HttpRequest['method'], path: string, body?: object, zoneId?: string): Promise<unknown> {
    return (await this.answer(method, path, body, zoneId)).result
  }

  /** request, keeping the envelope's `result_info`. */
  private async answer(method: HttpRequest['method'], path: string, body?: object, zoneId?: string): Promise<Answer> {
    const url = `${this.settings.apiBaseUrl}${path}`
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
      ...authHeaders(this.settings.credentials),
    }
    if (body) headers['content-type'] = 'application/json'
    const signal = this.retries.attemptSignal()
    const started = this.clock.now()
    const request = { method, url, headers, ...(body ? { body: JSON.stringify(body) } : {}) }
    // A lost answer to a write leaves its outcome unknown (retry.ts looks before writing again); to a read, not.
    const response = await this.send(request, signal).catch((error: unknown) => {
      throw method === 'GET' && error instanceof TransportError ? error.asRead() : error
    })
    log.debug(`${method} ${url} answered HTTP ${response.status} in ${this.clock.now() - started} ms`)
    return answerOf(response, this.clock.now(), method, this.settings.credentials.kind, zoneId)
  }
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key }
}
