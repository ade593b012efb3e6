import { ApiError, CLOUDFLARE_CODES, hasAnyCode, type ApiMessage } from './errors.ts'
import type { HttpResponse } from './http.ts'
import type { Credentials } from './settings.ts'

/** Cloudflare's answer envelope (`success`, `errors`, `result`), read defensively: answers come from outside. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function messagesOf(value: unknown): ApiMessage[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObject).map((entry) => ({
    code: typeof entry.code === 'number' ? entry.code : 0,
    message: typeof entry.message === 'string' ? entry.message : 'no message',
  }))
}

/** A successful answer: its `result`, and its `result_info` (how much of a list this page holds) when there is one. */
export interface Answer {
  result: unknown
  resultInfo?: Record<string, unknown>
}

/**
 * Parses Cloudflare's envelope, turning every kind of failure into an ApiError that says what came
 * back; a success gives its `result`, and its `result_info` too.
 */
export function answerOf(
  response: HttpResponse,
  now: number,
  method: string,
  auth: Credentials['kind'],
  zoneId?: string,
): Answer {
  const { status } = response
  const retryable = isRetryableStatus(status)
  // A write whose answer is a server error or unreadable may still have been applied.
  const unknownIfWrite = method !== 'GET' && (status >= 500 || status < 300)
  const retryAfter = retryAfterMs(response.headers, now)
  const failure = (message: string, errors: ApiMessage[] = [], retry = retryable): ApiError => {
    const hint = zoneId === undefined ? hintFor(status, errors, auth) : zoneHintFor(status, errors, auth, zoneId)
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
  return isObject(envelope.result_info)
    ? { result: envelope.result, resultInfo: envelope.result_info }
    : { result: envelope.result }
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

/**
 * Hints that follow the credentials in use, an API token or api-email with a global api-key.
 * Cloudflare answers 9109 and 10000 both for credentials it does not accept and for missing
 * permissions, and for an account-id that is not the credentials' account, so `refused` names all three.
 */
const AUTH_HINTS: Record<Credentials['kind'], { account: string; refused: string; forbidden: string }> = {
  token: {
    account:
      'Check account-id: it must be the ID of the account the API token belongs to (the Account ID on the dashboard, not a zone ID).',
    refused: `Cloudflare answers so both when it does not accept the API token (mistyped, expired or revoked; or a global API key given as api-token, which goes in api-key with api-email), when the token lacks the permission ${TOKEN_PERMISSION} on this account, and when account-id is not the ID of the account the token belongs to (a zone ID pasted into account-id gives exactly this answer): check api-token, then its permissions, then account-id (the Account ID on the dashboard's account home).`,
    forbidden: `The API token lacks permission: it needs ${TOKEN_PERMISSION} on this account.`,
  },
  'global-key': {
    account:
      'Check account-id: it must be the ID of an account the user of api-email is a member of (the Account ID on the dashboard, not a zone ID).',
    refused:
      "Cloudflare answers so both when it does not accept api-email and api-key (api-key must be that user's global API key; an API token goes in api-token instead), when the user's role on this account lacks the permission to edit SSL and Certificates, and when account-id is not the ID of an account the user is a member of (a zone ID pasted into account-id gives exactly this answer): check api-email and api-key, then the user's role, then account-id.",
    forbidden: `The user of api-email lacks permission: the user's role on this account must allow editing SSL and Certificates (an API token with ${TOKEN_PERMISSION} is the narrower choice).`,
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

/**
 * What to do about a failed call on a zone's hostname associations. Server trouble and rate limits as
 * for any call; a refusal names the zone permission for the auth in use (on top of the account
 * permission the upload needs, which the calls before it proved); a zone it cannot route to, zone-id.
 */
function zoneHintFor(
  status: number,
  errors: readonly ApiMessage[],
  auth: Credentials['kind'],
  zoneId: string,
): string | undefined {
  if (status >= 500 || status === 429) return hintFor(status, errors, auth)
  if (status === 404 || hasAnyCode(errors, CLOUDFLARE_CODES.account)) {
    return `Check zone-id: ${zoneId} must be the ID of a zone that the credentials can reach (the Zone ID on the zone's Overview page, in the account of account-id).`
  }
  if (status !== 401 && status !== 403) return undefined
  return auth === 'token'
    ? `The API token needs the zone permission "Zone → SSL and Certificates → Edit" on zone ${zoneId}, as well as ${TOKEN_PERMISSION} for the upload: edit the token in the dashboard (My Profile → API Tokens) to add it.`
    : `The Cloudflare user of api-email needs a role on zone ${zoneId} that may edit SSL and Certificates (Zone → SSL and Certificates → Edit, as in the Administrator role), as well as the account's SSL and Certificates: check the user's roles under Manage Account → Members.`
}

/** Statuses that say "try again later": rate limit, request timeout, and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500
}

/** The server's own wait, from `retry-after-ms` or `Retry-After` (seconds or an HTTP date). */
export function retryAfterMs(headers: Readonly<Record<string, string | undefined>>, now: number): number | undefined {
  const milliseconds = headers['retry-after-ms']
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds.trim()))
    return finiteOrUndefined(Math.ceil(Number(milliseconds)))
  const value = headers['retry-after']?.trim()
  if (!value) return undefined
  if (/^\d+$/.test(value)) return finiteOrUndefined(Number(value) * 1000)
  // An HTTP date names its weekday or month; V8's lenient Date.parse would read '1.5' or '-1' as dates too.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** A wait of hundreds of digits reads as Infinity: no wait the server could mean. */
const finiteOrUndefined = (ms: number): number | undefined => (Number.isFinite(ms) ? ms : undefined)
