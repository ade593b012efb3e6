/** A problem the user can fix in the workflow file: the message names the input and the fix. */
export class InputError extends Error {
  override name = 'InputError'
}

/** Cloudflare's error envelope entry. */
export interface ApiMessage {
  code: number
  message: string
}

export interface ApiErrorTraits {
  /** A later attempt may succeed (rate limit, server error, garbled answer). */
  retryable: boolean
  /** The request may have taken effect although it failed (a write answered by a 5xx, say). */
  outcomeUnknown: boolean
  /** The server's own Retry-After, in milliseconds. */
  retryAfterMs?: number
}

/** Cloudflare (or something in front of it) answered, but not with success. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly retryable: boolean
  readonly outcomeUnknown: boolean
  readonly retryAfterMs: number | undefined
  readonly status: number
  readonly errors: readonly ApiMessage[]

  constructor(message: string, status: number, errors: readonly ApiMessage[], traits: ApiErrorTraits) {
    super(message)
    this.status = status
    this.errors = errors
    this.retryable = traits.retryable
    this.outcomeUnknown = traits.outcomeUnknown
    this.retryAfterMs = traits.retryAfterMs
  }

  hasCode(code: number): boolean {
    return this.errors.some((e) => e.code === code)
  }
}

export interface TransportTraits {
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
}
