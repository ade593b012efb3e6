/** How Cloudflare's API, and the network on the way to it, fail: its codes this action acts on, and the two error types. */

/** Cloudflare's error codes that this action acts on, in one place. */
export const CLOUDFLARE_CODES = {
  /** An upload of a certificate the account already holds. */
  certificateExists: 1471,
  /** A certificate that is not there (on a GET or DELETE of one id). */
  certificateNotFound: 1472,
  /** An upload past the account's quota of CA certificates. */
  caQuotaFull: 1489,
  /** Credentials Cloudflare does not accept: invalid token, bad headers, unknown key. */
  credentials: [10000, 9106, 9109, 6003, 6111],
  /** An account id it cannot route to. */
  account: [7003, 7000],
} as const

/** Whether any of Cloudflare's error entries carries one of these codes. */
export const hasAnyCode = (errors: readonly ApiMessage[], codes: readonly number[]): boolean =>
  errors.some((e) => codes.includes(e.code))

/** Cloudflare's error envelope entry. */
export interface ApiMessage {
  code: number
  message: string
}

interface ApiErrorTraits {
  /** A later attempt may succeed (rate limit, server error, garbled answer). */
  retryable: boolean
  /** The request may have taken effect although it failed (a write answered by a 5xx, say). */
  outcomeUnknown: boolean
  /** The server's own Retry-After, in milliseconds. */
  retryAfterMs?: number
  /** What the user can do about it, one or more sentences: shown once the operation has failed for good. */
  hint?: string
}

/** Cloudflare (or something in front of it) answered, but not with success. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly retryable: boolean
  readonly outcomeUnknown: boolean
  readonly retryAfterMs: number | undefined
  readonly hint: string | undefined
  readonly status: number
  readonly errors: readonly ApiMessage[]

  constructor(message: string, status: number, errors: readonly ApiMessage[], traits: ApiErrorTraits) {
    super(message)
    this.status = status
    this.errors = errors
    this.retryable = traits.retryable
    this.outcomeUnknown = traits.outcomeUnknown
    this.retryAfterMs = traits.retryAfterMs
    this.hint = traits.hint
  }

  hasCode(...codes: readonly number[]): boolean {
    return hasAnyCode(this.errors, codes)
  }

  /** The certificate (or route) is not there: HTTP 404, or Cloudflare's own code for it. */
  get notFound(): boolean {
    return this.status === 404 || this.hasCode(CLOUDFLARE_CODES.certificateNotFound)
  }
}

interface TransportTraits {
  /** False only when the request certainly never reached the server (refused, DNS, TLS). */
  mayHaveReachedServer: boolean
  timedOut?: boolean
  /** The whole API time budget (timeout-seconds) is spent: no further attempt can run. */
  budgetExhausted?: boolean
  /** Trying again cannot help: the server's TLS certificate is not trusted, say. */
  permanent?: boolean
}

/** The request failed before Cloudflare's answer arrived whole (network error, timeout). */
export class TransportError extends Error {
  override name = 'TransportError'
  readonly mayHaveReachedServer: boolean
  readonly timedOut: boolean
  readonly budgetExhausted: boolean
  readonly permanent: boolean

  constructor(message: string, traits: TransportTraits) {
    super(message)
    this.mayHaveReachedServer = traits.mayHaveReachedServer
    this.timedOut = traits.timedOut ?? false
    this.budgetExhausted = traits.budgetExhausted ?? false
    this.permanent = traits.permanent ?? false
  }

  /** The same failure of a read: whatever reached the server, a read cannot have changed the account. */
  asRead(): TransportError {
    const { timedOut, budgetExhausted, permanent } = this
    return new TransportError(this.message, { mayHaveReachedServer: false, timedOut, budgetExhausted, permanent })
  }
}
