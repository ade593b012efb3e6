import type { Clock } from '../core/clock.ts'
import { QUIET, type ApiLog } from './dependencies.ts'
import { answerOf, type Answer } from './envelope.ts'
import { ApiError, TransportError } from './errors.ts'
import type { HttpRequest, HttpSend } from './http.ts'
import { Retries } from './retry.ts'
import type { ApiSettings, Credentials } from './settings.ts'

const USER_AGENT = 'cloudflare-mtls-certificate-action/1'

/**
 * One account's API as transport: each request signed, sent, its envelope read, retried on transient
 * failures within the run's one time budget (retry.ts). CloudflareApi (client.ts) adds the mTLS
 * store's endpoints; modules for other endpoints build on `call` and `readAccount`.
 */
export class CloudflareTransport {
  protected readonly settings: ApiSettings
  protected readonly send: HttpSend
  /** The clock its retries and time limit run on, for waits that share the limit. */
  readonly clock: Clock
  protected readonly retries: Retries

  protected readonly log: ApiLog

  constructor(settings: ApiSettings, send: HttpSend, clock: Clock, log: ApiLog = QUIET) {
    this.settings = settings
    this.send = send
    this.clock = clock
    this.log = log
    this.retries = new Retries(settings, clock, log)
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

  /** When the run's time budget (timeout-seconds) runs out: waits between calls stay within it too. */
  deadlineAt(): number {
    return this.retries.deadlineAt()
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
   * One request: the envelope's `result` on success, ApiError or TransportError otherwise. With
   * `zoneId`, a zone call, whose failures the envelope explains in the zone's terms.
   */
  protected async request(
    method: HttpRequest['method'],
    path: string,
    body?: object,
    zoneId?: string,
  ): Promise<unknown> {
    return (await this.answer(method, path, body, zoneId)).result
  }

  /** request, keeping the envelope's `result_info`. */
  protected async answer(method: HttpRequest['method'], path: string, body?: object, zoneId?: string): Promise<Answer> {
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
    this.log.debug(`${method} ${url} answered HTTP ${response.status} in ${this.clock.now() - started} ms`)
    return answerOf(response, this.clock.now(), method, this.settings.credentials.kind, zoneId)
  }
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key }
}
