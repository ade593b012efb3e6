import { CUSTOM_TYPE, isCertificateId } from './api-values.ts'
import { ApiError, CLOUDFLARE_CODES, TransportError, hasAnyCode, type ApiMessage } from './errors.ts'
import type { HttpResponse, HttpSend } from './http.ts'
import type { Log } from './log.ts'
import { DEFAULT_BACKOFF, backoffDelay, isRetryableStatus, retryAfterMs, type Clock } from './retry.ts'
import type { ApiSettings, Credentials } from './settings.ts'
import { joinSentences, plural } from './text.ts'

/** An mTLS certificate as Cloudflare describes it (certificateObject in the OpenAPI). */
export interface MtlsCertificate {
  id: string
  name?: string
  issuer?: string
  serial_number?: string
  signature?: string
  expires_on?: string
  uploaded_on?: string
  updated_at?: string
  ca?: boolean
  certificates?: string
  type?: string
}

export interface UploadBody {
  ca: boolean
  certificates: string
  name?: string
  private_key?: string
}

export interface Association {
  service?: string
  status?: string
}

export type ApiLog = Pick<Log, 'info' | 'debug'>

/** One attempt may not take the whole budget, so a hung connection still leaves room to retry. */
const ATTEMPT_TIMEOUT_MS = 30_000
const USER_AGENT = 'cloudflare-mtls-certificate-action/1'

/** The operation failed for good: the message says what was tried, how often, and what came back. */
export class OperationError extends Error {
  override name = 'OperationError'
}

/**
 * The mTLS certificate endpoints, each call retried on transient failures within one time budget
 * (timeout-seconds) that starts with the first request.
 */
export class CloudflareApi {
  private deadline?: { at: number; signal: AbortSignal }
  private readonly options: ApiSettings
  private readonly send: HttpSend
  private readonly clock: Clock
  private readonly log: ApiLog
  readonly basePath: string

  constructor(options: ApiSettings, send: HttpSend, clock: Clock, log: ApiLog) {
    this.options = options
    this.send = send
    this.clock = clock
    this.log = log
    this.basePath = `${options.apiBaseUrl}/accounts/${options.accountId}/mtls_certificates`
  }

  uploadOnce(body: UploadBody): Promise<MtlsCertificate> {
    return this.exchange('POST', '', body).then((result) => certificateOf(result))
  }

  listCertificates(): Promise<MtlsCertificate[]> {
    return this.retrying("list the account's mTLS certificates", () => this.listOnce())
  }

  /** The certificates the user uploaded: Cloudflare lists those it manages (Gateway, Access) too, unless asked not to. */
  listOnce(): Promise<MtlsCertificate[]> {
    return this.exchange('GET', `?type=${CUSTOM_TYPE}`).then((result) =>
      Array.isArray(result) ? result.filter(isCertificate) : [],
    )
  }

  deleteCertificate(id: string): Promise<void> {
    if (!isCertificateId(id)) return Promise.reject(refusedId(id))
    let mayHaveDeleted = false
    return this.retrying(`delete certificate ${id}`, async () => {
      try {
        await this.exchange('DELETE', `/${encodeURIComponent(id)}`)
      } catch (error) {
        // Gone after an attempt whose answer was lost: that attempt deleted it.
        if (mayHaveDeleted && error instanceof ApiError && error.notFound) return
        mayHaveDeleted ||= outcomeUnknown(error)
        throw error
      }
    })
  }

  /** The services using the certificate; an answer of any other shape fails, so that it never reads as "none". */
  listAssociations(id: string): Promise<Association[]> {
    if (!isCertificateId(id)) return Promise.reject(refusedId(id))
    return this.retrying(`read the associations of certificate ${id}`, () =>
      this.exchange('GET', `/${encodeURIComponent(id)}/associations`).then(associationsOf),
    )
  }

  get timeoutSeconds(): number {
    return this.options.timeoutSeconds
  }

  /** The time budget (timeout-seconds) started and is spent: no further request can run. */
  outOfTime(): boolean {
    return this.deadline !== undefined && (this.deadline.signal.aborted || this.clock.now() >= this.deadline.at)
  }

  /** Runs `attempt` until it succeeds, fails for good, runs out of attempts or out of time. */
  async retrying<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    const attempts = this.options.maxRetries + 1
    for (let number = 1; ; number++) {
      try {
        return await attempt()
      } catch (error) {
        const reason = describeFailure(error)
        const withHint = (text: string): string =>
          error instanceof ApiError && error.hint ? joinSentences(text, error.hint) : text
        const tried = number > 1 ? ` after ${plural(number, 'attempt')}` : ''
        if (!isRetryable(error)) {
          throw new OperationError(withHint(`Could not ${operation}${tried}: ${reason}`), { cause: error })
        }
        if (number >= attempts) {
          throw new OperationError(
            withHint(
              `Could not ${operation}: ${attempts === 1 ? 'the only attempt (max-retries is 0)' : `all ${attempts} attempts`} failed; the last one got ${reason}`,
            ),
            { cause: error },
          )
        }
        const deadline = this.startDeadline()
        const wait =
          (error instanceof ApiError ? error.retryAfterMs : undefined) ??
          backoffDelay(number, DEFAULT_BACKOFF, () => this.clock.random())
        const remaining = deadline.at - this.clock.now()
        if (wait >= remaining) {
          throw new OperationError(
            `Could not ${operation} within timeout-seconds (${this.options.timeoutSeconds} s): attempt ${number} got ${reason}, and the next attempt would start after the time runs out (${formatSeconds(wait)} wait, ${formatSeconds(Math.max(0, remaining))} left)`,
            { cause: error },
          )
        }
        this.log.info(
          `Attempt ${number} of ${attempts} to ${operation} got ${reason}; retrying in ${formatSeconds(wait)}.`,
        )
        await this.clock.sleep(wait, deadline.signal)
      }
    }
  }

  private startDeadline(): { at: number; signal: AbortSignal } {
    const budgetMs = this.options.timeoutSeconds * 1000
    this.deadline ??= { at: this.clock.now() + budgetMs, signal: AbortSignal.timeout(budgetMs) }
    return this.deadline
  }

  /** One request and its envelope: the `result` on success, ApiError or TransportError otherwise. */
  private async exchange(method: 'GET' | 'POST' | 'DELETE', path: string, body?: UploadBody): Promise<unknown> {
    const deadline = this.startDeadline()
    const url = `${this.basePath}${path}`
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
      ...authHeaders(this.options.credentials),
    }
    if (body) headers['content-type'] = 'application/json'
    const started = this.clock.now()
    if (deadline.signal.aborted) throw this.timeoutError(deadline.signal)
    const signal = AbortSignal.any([deadline.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)])
    let response: HttpResponse
    try {
      const request = { method, url, headers, ...(body ? { body: JSON.stringify(body) } : {}) }
      response = await this.send(request, signal)
    } catch (error) {
      if (error instanceof TransportError && error.timedOut) throw this.timeoutError(deadline.signal)
      throw error
    }
    this.log.debug(`${method} ${url} answered HTTP ${response.status} in ${this.clock.now() - started} ms`)
    return resultOf(response, this.clock.now(), method, this.options.credentials.kind)
  }

  private timeoutError(deadlineSignal: AbortSignal): TransportError {
    return deadlineSignal.aborted
      ? new TransportError(`no answer within timeout-seconds (${this.options.timeoutSeconds} s)`, {
          mayHaveReachedServer: true,
          timedOut: true,
          budgetExhausted: true,
        })
      : new TransportError(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`, {
          mayHaveReachedServer: true,
          timedOut: true,
        })
  }
}

export function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.kind === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.retryable
  if (error instanceof TransportError) return !error.budgetExhausted && !error.permanent
  return false
}

/** Whether a failed attempt may have changed the account (so a retry must look before it uploads again). */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof TransportError) return error.mayHaveReachedServer
  if (error instanceof ApiError) return error.outcomeUnknown
  return false
}

function describeFailure(error: unknown): string {
  if (error instanceof ApiError || error instanceof TransportError) return error.message
  return error instanceof Error ? error.message : String(error)
}

const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCertificate(value: unknown): value is MtlsCertificate {
  return isObject(value) && typeof value.id === 'string'
}

/** An id that is not Cloudflare's would change the URL it goes into (`..`): refused before any request. */
const refusedId = (id: string): OperationError =>
  new OperationError(
    `Refused to send a request for certificate id '${id}': it is not one Cloudflare gives (a UUID or 32 hex digits)`,
  )

function associationsOf(result: unknown): Association[] {
  if (Array.isArray(result) && result.every(isObject)) return result as Association[]
  throw new ApiError(
    "Cloudflare's answer is not a list of associations, so whether a service uses the certificate is unknown",
    200,
    [],
    { retryable: false, outcomeUnknown: false },
  )
}

function certificateOf(result: unknown): MtlsCertificate {
  if (!isCertificate(result)) {
    throw new ApiError('Cloudflare reported success but its answer holds no certificate id', 200, [], {
      retryable: false,
      outcomeUnknown: true,
    })
  }
  return result
}

function messagesOf(value: unknown): ApiMessage[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObject).map((entry) => ({
    code: typeof entry.code === 'number' ? entry.code : 0,
    message: typeof entry.message === 'string' ? entry.message : 'no message',
  }))
}

/** Parses Cloudflare's envelope, turning every kind of failure into an ApiError that says what came back. */
export function resultOf(
  response: HttpResponse,
  now: number,
  method: string,
  auth: Credentials['kind'] = 'token',
): unknown {
  const { status } = response
  const retryable = isRetryableStatus(status)
  // A write whose answer is a server error or unreadable may still have been applied.
  const unknownIfWrite = method !== 'GET' && (status >= 500 || status < 300)
  const retryAfter = retryAfterMs(response.headers, now)
  const failure = (message: string, errors: ApiMessage[] = [], retry = retryable): ApiError => {
    const hint = hintFor(status, errors, auth)
    return new ApiError(message, status, errors, {
      retryable: retry,
      outcomeUnknown: unknownIfWrite,
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
      ...(hint === undefined ? {} : { hint }),
    })
  }

  let envelope: unknown
  try {
    envelope = JSON.parse(response.body)
  } catch {
    // A 2xx that is not JSON came from something in between (a proxy or an edge error page): retry.
    throw failure(
      `HTTP ${status} ${describeNonJson(response)} instead of Cloudflare's JSON answer`,
      [],
      retryable || status < 300,
    )
  }
  if (!isObject(envelope) || typeof envelope.success !== 'boolean') {
    throw failure(
      `HTTP ${status} with JSON that is not Cloudflare's API envelope (no "success" field): is api-base-url right?`,
      [],
      retryable || status < 300,
    )
  }
  const errors = messagesOf(envelope.errors)
  if (status < 200 || status >= 300 || !envelope.success) {
    const listed = errors.length > 0 ? errors.map((e) => `[${e.code}] ${e.message}`).join('; ') : 'no error details'
    throw failure(`HTTP ${status}: ${listed}`, errors)
  }
  return envelope.result
}

function describeNonJson(response: HttpResponse): string {
  const type = (response.headers['content-type'] ?? '').split(';')[0]?.trim() || 'no content type'
  if (!response.body.trim()) return `with an empty body (${type})`
  const title = htmlTitle(response.body)
  return title ? `with an HTML page titled "${title}"` : `with a ${type} body of ${response.body.length} bytes`
}

/** Where an error page names itself; further in, it is not the page's own title. */
const TITLE_SEARCH_CHARS = 64 * 1024
const TITLE_MAX_CHARS = 120

/**
 * The text of an HTML page's first <title> element, found with indexOf: a body is up to 8 MiB of
 * text from outside, and a regular expression over it can take quadratic time (`<title<title<title...`).
 */
export function htmlTitle(body: string): string | undefined {
  const head = body.slice(0, TITLE_SEARCH_CHARS)
  const lower = head.toLowerCase()
  const tag = lower.indexOf('<title')
  const start = tag < 0 ? -1 : lower.indexOf('>', tag) + 1
  if (start <= 0) return undefined
  const end = lower.indexOf('<', start)
  const text = head
    .slice(start, end < 0 ? head.length : end)
    .slice(0, TITLE_MAX_CHARS)
    .split(/\s+/)
    .filter(Boolean)
    .join(' ')
  return text || undefined
}

/** The permission an API token needs for the mTLS certificate endpoints, as the dashboard names it. */
const TOKEN_PERMISSION = '"Account → SSL and Certificates → Edit"'

/** Hints that depend on the credentials in use: an API token, or api-email with a global api-key. */
const AUTH_HINTS: Record<Credentials['kind'], { account: string; refused: string; forbidden: string }> = {
  token: {
    account:
      'Check account-id: it must be the ID of the account the API token belongs to (the Account ID on the dashboard, not a zone ID).',
    refused: `Cloudflare answers so both when it does not accept the API token (mistyped, expired or revoked; or a global API key given as api-token, which goes in api-key with api-email) and when the token lacks the permission ${TOKEN_PERMISSION} on this account: check api-token, then its permissions.`,
    forbidden: `The API token lacks permission: it needs ${TOKEN_PERMISSION} on this account.`,
  },
  'global-key': {
    account:
      'Check account-id: it must be the ID of an account the user of api-email is a member of (the Account ID on the dashboard, not a zone ID).',
    refused:
      "Cloudflare answers so both when it does not accept api-email and api-key (api-key must be that user's global API key; an API token goes in api-token instead) and when the user's role on this account lacks the permission to edit SSL and Certificates: check api-email and api-key, then the user's role.",
    forbidden:
      "The user of api-email lacks permission: the user's role on this account must allow editing SSL and Certificates (an API token with " +
      `${TOKEN_PERMISSION} is the narrower choice).`,
  },
}

/**
 * What to do about a failed answer. The HTTP status comes first: a 5xx is Cloudflare's trouble, whatever
 * code its body carries; only a 4xx says something about the request.
 */
function hintFor(status: number, errors: readonly ApiMessage[], auth: Credentials['kind']): string | undefined {
  const has = (codes: readonly number[]): boolean => hasAnyCode(errors, codes)
  if (status >= 500) {
    return 'Cloudflare, or a proxy in between, is having trouble: re-run the job later (https://www.cloudflarestatus.com lists incidents).'
  }
  if (status === 429) return 'Cloudflare is rate-limiting these credentials: re-run the job later.'
  if (status < 400) return undefined
  const hints = AUTH_HINTS[auth]
  if (status !== 401 && has(CLOUDFLARE_CODES.account)) return hints.account
  if (status === 401 || has(CLOUDFLARE_CODES.credentials)) return hints.refused
  if (status === 403) return hints.forbidden
  return undefined
}
