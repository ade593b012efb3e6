import { InputError } from '../core/errors.ts'
import { EMPTY_INPUT_NOTE, parseHexId, parseInteger, parsePositiveSeconds } from '../action/input-parsers.ts'
import { trimmedInputs, type InputSource } from '../action/input-source.ts'
import { capitalise } from '../core/text.ts'
import type { ApiSettings, Credentials } from '../cloudflare/settings.ts'

export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4'

export type { ApiSettings, Credentials } from '../cloudflare/settings.ts'

/**
 * The API inputs without the certificate ones: all that the post step (and an audit) reads. Register
 * the secrets first (registerSecretInputs): an error here may quote an input.
 */
export function getApiSettings(source: InputSource): ApiSettings {
  const read = trimmedInputs(source)
  const env = (name: string): string => (source.env[name] ?? '').trim()
  return {
    accountId: parseAccountId(read('account-id') || env('CLOUDFLARE_ACCOUNT_ID')),
    credentials: parseCredentials(read, env, setButEmpty(source)),
    apiBaseUrl: parseApiBaseUrl(read('api-base-url') || DEFAULT_API_BASE_URL),
    maxRetries: parseInteger('max-retries', read('max-retries'), { fallback: 3, min: 0, max: 10 }),
    timeoutSeconds: parsePositiveSeconds('timeout-seconds', read('timeout-seconds'), 60),
  }
}

/** Whether any credential is given, as an input or in the environment: a fork's pull request gets none. */
export function hasCredentials(source: InputSource): boolean {
  const read = trimmedInputs(source)
  return (
    ['api-token', 'api-email', 'api-key'].some((name) => read(name) !== '') ||
    ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_EMAIL', 'CLOUDFLARE_API_KEY'].some(
      (name) => (source.env[name] ?? '').trim() !== '',
    )
  )
}

export function parseAccountId(value: string): string {
  if (!value) {
    throw new InputError(
      `Input 'account-id' is required, and is empty: set account-id: to your Cloudflare account ID (32 hex characters, shown on the dashboard's account home), or set the CLOUDFLARE_ACCOUNT_ID environment variable. ${EMPTY_INPUT_NOTE}`,
    )
  }
  return parseHexId(
    'account-id',
    value,
    'the Account ID from the Cloudflare dashboard',
    'Copy the Account ID again, not the account name or a zone ID.',
  )
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])
const isLoopback = (hostname: string): boolean =>
  LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

export function parseApiBaseUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(
      `Input 'api-base-url' is not a valid URL: it must be an absolute https:// URL such as ${DEFAULT_API_BASE_URL}. Remove it to use that default.`,
    )
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      `Input 'api-base-url' must use https: credentials and the private key cross the network in clear text over http to ${url.hostname}. Plain http is allowed only to a loopback host (127.0.0.1, localhost, [::1]) for local testing.`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`Input 'api-base-url' must be an https:// URL, got a ${url.protocol} URL.`)
  }
  if (url.username || url.password || /[?#]/.test(value)) {
    throw new InputError(
      "Input 'api-base-url' must not carry credentials, a query or a fragment: give the API root only, such as https://api.cloudflare.com/client/v4, and pass credentials through api-token.",
    )
  }
  return withoutTrailingSlashes(url.href)
}

/** A loop, not /\/+$/: that pattern takes quadratic time on a long run of slashes that does not end the text. */
function withoutTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text[end - 1] === '/') end--
  return text.slice(0, end)
}

/**
 * The credential inputs and variables that are set but empty: the runner passes an input it was given
 * (`INPUT_API-TOKEN`) even when its expression gave '', as a misspelled or unset secret does.
 */
function setButEmpty(source: InputSource): string[] {
  const inputs = ['api-token', 'api-email', 'api-key'].filter(
    (name) => source.env[`INPUT_${name.toUpperCase()}`]?.trim() === '',
  )
  const variables = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_EMAIL', 'CLOUDFLARE_API_KEY'].filter(
    (name) => source.env[name]?.trim() === '',
  )
  return [...inputs.map((name) => `input '${name}'`), ...variables]
}

function parseCredentials(
  read: (name: string) => string,
  env: (name: string) => string,
  empty: readonly string[],
): Credentials {
  const fromInputs = { token: read('api-token'), email: read('api-email'), key: read('api-key') }
  const useInputs = Boolean(fromInputs.token || fromInputs.email || fromInputs.key)
  // Inputs win: when any credential input is set, the environment's credentials are ignored.
  const given = useInputs
    ? fromInputs
    : { token: env('CLOUDFLARE_API_TOKEN'), email: env('CLOUDFLARE_EMAIL'), key: env('CLOUDFLARE_API_KEY') }
  const names = useInputs
    ? { token: "input 'api-token'", email: "input 'api-email'", key: "input 'api-key'" }
    : { token: 'CLOUDFLARE_API_TOKEN', email: 'CLOUDFLARE_EMAIL', key: 'CLOUDFLARE_API_KEY' }

  if (given.token && (given.email || given.key)) {
    throw new InputError(
      `Both an API token (${names.token}) and a global API key (${given.key ? names.key : names.email}) are set: use exactly one method. Prefer api-token alone, scoped to "Account: SSL and Certificates: Edit".`,
    )
  }
  if (given.token) {
    checkHeaderValue(names.token, given.token)
    return { kind: 'token', token: given.token }
  }
  if (given.email || given.key) {
    // The other one given but empty: its secret is missing or misspelled.
    const emptyNote = (name: string): string =>
      empty.includes(name) ? ` (${name} is set but empty: its secret is probably not set, or misspelled)` : ''
    if (!given.key)
      throw new InputError(
        `${capitalise(names.email)} is set without ${names.key}${emptyNote(names.key)}: the global API key needs both, or use api-token instead.`,
      )
    if (!given.email)
      throw new InputError(
        `${capitalise(names.key)} is set without ${names.email}${emptyNote(names.email)}: the global API key needs the account's email too, or use api-token instead.`,
      )
    // Printable ASCII only: it is sent as a header value.
    if (!/^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+$/.test(given.email)) {
      throw new InputError(
        `${capitalise(names.email)} must be the email address of the Cloudflare user that owns the global API key.`,
      )
    }
    checkHeaderValue(names.key, given.key)
    return { kind: 'global-key', email: given.email, key: given.key }
  }
  if (empty.length > 0) {
    throw new InputError(
      `${capitalise(empty.join(' and '))} ${empty.length === 1 ? 'is' : 'are'} set but empty: the secret ${empty.length === 1 ? 'it reads' : 'they read'} is probably not set, or its name is misspelled (a missing secret reads as empty; a run from a fork gets no secrets). Check the name in \${{ secrets.… }} against the repository's secrets (Settings → Secrets and variables → Actions).`,
    )
  }
  throw new InputError(
    'No Cloudflare credentials: set api-token: ${{ secrets.CLOUDFLARE_API_TOKEN }} (a token with "Account: SSL and Certificates: Edit"), or api-email and api-key for a global API key, or the CLOUDFLARE_API_TOKEN environment variable.',
  )
}

function checkHeaderValue(name: string, value: string): void {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InputError(
      `${capitalise(name)} contains spaces, line breaks or non-ASCII characters: copy the credential again, without quotes or extra text.`,
    )
  }
}
