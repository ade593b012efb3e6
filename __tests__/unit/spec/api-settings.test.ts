import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { getApiSettings, parseApiBaseUrl, type ApiSettings } from '../../../src/spec/api-settings.ts'
import { ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN } from '../../../test-kit/fixtures.ts'
import { inputSource } from '../fakes.ts'

/** What talking to Cloudflare needs: account, credentials, api-base-url, max-retries and timeout-seconds. */

const ENV_TOKEN = 'env-Tok3n-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const ENV_KEY = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed1'

/** The minimum inputs: a token and an account. */
const BASE_INPUTS: Readonly<Record<string, string>> = { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN }

const source = (inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}) =>
  inputSource({ ...BASE_INPUTS, ...inputs }, env)
const api = (inputs: Record<string, string> = {}, env: Record<string, string | undefined> = {}): ApiSettings =>
  getApiSettings(source(inputs, env))

/** The InputError getApiSettings throws; fails the test if it returns or throws something else. */
function inputError(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): InputError {
  try {
    api(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('getApiSettings accepted the inputs')
}

describe('getApiSettings, for the post step', () => {
  it('reads only what talking to Cloudflare needs: no certificate or key is read', () => {
    const api = getApiSettings(source({ certificate: '', 'certificate-path': 'gone.pem', 'max-retries': '1' }))
    expect(api).toEqual({
      accountId: ACCOUNT_ID,
      credentials: { kind: 'token', token: API_TOKEN },
      apiBaseUrl: 'https://api.cloudflare.com/client/v4',
      maxRetries: 1,
      timeoutSeconds: 60,
    })
  })
})

describe('account id', () => {
  it('is lower-cased', () => {
    expect(api({ 'account-id': ACCOUNT_ID.toUpperCase() }).accountId).toBe(ACCOUNT_ID)
  })

  it('falls back to CLOUDFLARE_ACCOUNT_ID, and the input wins over it', () => {
    const other = 'ABCDEF0123456789abcdef0123456789'
    expect(api({ 'account-id': '' }, { CLOUDFLARE_ACCOUNT_ID: other }).accountId).toBe(other.toLowerCase())
    expect(api({}, { CLOUDFLARE_ACCOUNT_ID: other }).accountId).toBe(ACCOUNT_ID)
  })

  it.each([
    ['31 hex characters', ACCOUNT_ID.slice(1), /has 31 characters\. Copy/],
    ['33 hex characters', `${ACCOUNT_ID}0`, /has 33 characters\. Copy/],
    ['a non-hex character', `${ACCOUNT_ID.slice(1)}g`, /has 32 characters and some are not hex digits/],
  ])('rejects %s', (_, value, message) => {
    expect(inputError({ 'account-id': value }).message).toMatch(message)
  })

  it('names both the input and the environment variable when neither is set', () => {
    expect(inputError({ 'account-id': '' }).message).toMatch(/'account-id' is required.*CLOUDFLARE_ACCOUNT_ID/)
  })
})

describe('credentials', () => {
  it('falls back to CLOUDFLARE_API_TOKEN', () => {
    expect(api({ 'api-token': '' }, { CLOUDFLARE_API_TOKEN: ENV_TOKEN }).credentials).toEqual({
      kind: 'token',
      token: ENV_TOKEN,
    })
  })

  it('falls back to CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY', () => {
    const env = { CLOUDFLARE_EMAIL: API_EMAIL, CLOUDFLARE_API_KEY: ENV_KEY }
    expect(api({ 'api-token': '' }, env).credentials).toEqual({
      kind: 'global-key',
      email: API_EMAIL,
      key: ENV_KEY,
    })
  })

  it('takes api-email and api-key inputs as a global key', () => {
    expect(api({ 'api-token': '', 'api-email': API_EMAIL, 'api-key': API_KEY }).credentials).toEqual({
      kind: 'global-key',
      email: API_EMAIL,
      key: API_KEY,
    })
  })

  it('ignores every environment credential once any credential input is set', () => {
    const env = { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_EMAIL: API_EMAIL, CLOUDFLARE_API_KEY: ENV_KEY }
    // A token input with a global key in the environment is not a conflict: the environment is not read.
    expect(api({}, env).credentials).toEqual({ kind: 'token', token: API_TOKEN })
    expect(api({ 'api-token': '', 'api-email': API_EMAIL, 'api-key': API_KEY }, env).credentials).toEqual({
      kind: 'global-key',
      email: API_EMAIL,
      key: API_KEY,
    })
    // api-email alone is an input too, so the environment's key does not complete it.
    expect(inputError({ 'api-token': '', 'api-email': API_EMAIL }, env).message).toBe(
      "Input 'api-email' is set without input 'api-key': the global API key needs both, or use api-token instead.",
    )
  })

  it('rejects a token together with a global key, naming where each came from', () => {
    expect(inputError({ 'api-key': API_KEY }).message).toMatch(
      /^Both an API token \(input 'api-token'\) and a global API key \(input 'api-key'\) are set/,
    )
    const env = { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_EMAIL: API_EMAIL }
    expect(inputError({ 'api-token': '' }, env).message).toMatch(
      /^Both an API token \(CLOUDFLARE_API_TOKEN\) and a global API key \(CLOUDFLARE_EMAIL\) are set/,
    )
  })

  it('rejects a key without an email, and an email that is not an address', () => {
    expect(inputError({ 'api-token': '' }, { CLOUDFLARE_API_KEY: ENV_KEY }).message).toMatch(
      /^CLOUDFLARE_API_KEY is set without CLOUDFLARE_EMAIL/,
    )
    expect(inputError({ 'api-token': '', 'api-email': 'ops', 'api-key': API_KEY }).message).toMatch(
      /^Input 'api-email' must be the email address/,
    )
  })

  it('rejects a token with inner spaces or non-ASCII characters', () => {
    expect(inputError({ 'api-token': 'Bearer abc' }).message).toMatch(/^Input 'api-token' contains spaces/)
    expect(inputError({ 'api-token': 'tokén' }).message).toMatch(/^Input 'api-token' contains spaces/)
  })

  it('asks for credentials when there are none', () => {
    expect(inputError({ 'api-token': '' }).message).toMatch(/^No Cloudflare credentials/)
  })

  it('says a credential input or variable was set but is empty: a misspelled or unset secret', () => {
    // The runner passes a given input as INPUT_<NAME> even when its expression gave ''.
    expect(inputError({ 'api-token': '' }, { 'INPUT_API-TOKEN': '' }).message).toBe(
      "Input 'api-token' is set but empty: the secret it reads is probably not set, or its name is misspelled (a missing secret reads as empty; a run from a fork gets no secrets). Check the name in ${{ secrets.… }} against the repository's secrets (Settings → Secrets and variables → Actions).",
    )
    expect(inputError({ 'api-token': '' }, { CLOUDFLARE_API_TOKEN: ' ' }).message).toMatch(
      /^CLOUDFLARE_API_TOKEN is set but empty: the secret it reads/,
    )
    expect(inputError({ 'api-token': '' }, { 'INPUT_API-EMAIL': '', 'INPUT_API-KEY': '' }).message).toMatch(
      /^Input 'api-email' and input 'api-key' are set but empty: the secret they read/,
    )
    expect(inputError({ 'api-token': '', 'api-email': 'ops@example.com' }, { 'INPUT_API-KEY': '' }).message).toMatch(
      /^Input 'api-email' is set without input 'api-key' \(input 'api-key' is set but empty: its secret/,
    )
  })
})

describe('parseApiBaseUrl', () => {
  it.each([
    ['https://api.cloudflare.com/client/v4', 'https://api.cloudflare.com/client/v4'],
    ['https://api.cloudflare.com/client/v4/', 'https://api.cloudflare.com/client/v4'],
    ['https://api.cloudflare.com/client/v4//', 'https://api.cloudflare.com/client/v4'],
    ['https://gateway.example.com:8443/cf/', 'https://gateway.example.com:8443/cf'],
    ['http://127.0.0.1:8787/client/v4', 'http://127.0.0.1:8787/client/v4'],
    ['http://127.45.6.7/', 'http://127.45.6.7'],
    ['http://localhost:3000/v4/', 'http://localhost:3000/v4'],
    ['http://[::1]:3000/v4', 'http://[::1]:3000/v4'],
  ])('accepts %s as %s', (value, expected) => {
    expect(parseApiBaseUrl(value)).toBe(expected)
  })

  it.each([
    ['http://api.cloudflare.com/client/v4', /must use https.*to api\.cloudflare\.com/],
    ['http://128.0.0.1/', /must use https/],
    ['http://127.0.0.1.nip.io/', /must use https/],
    ['http://localhost.example.com/', /must use https/],
    ['ftp://127.0.0.1/', /must be an https:\/\/ URL, got a ftp: URL/],
    ['https://user:pass@api.cloudflare.com/client/v4', /must not carry credentials, a query or a fragment/],
    ['https://user@api.cloudflare.com/client/v4', /must not carry credentials/],
    ['https://api.cloudflare.com/client/v4?x=1', /must not carry credentials, a query or a fragment/],
    ['https://api.cloudflare.com/client/v4#v4', /must not carry credentials, a query or a fragment/],
    ['api.cloudflare.com/client/v4', /is not a valid URL/],
  ])('rejects %s', (value, message) => {
    expect(() => parseApiBaseUrl(value)).toThrow(InputError)
    expect(() => parseApiBaseUrl(value)).toThrow(message)
  })

  // BUG (src/api-settings.ts, parseApiBaseUrl): an empty query or fragment ('…/v4?' or '…/v4#') passes the
  // `url.search || url.hash` check, as both are '' then, but `url.href` keeps the '?' or '#'. The base URL
  // becomes 'https://api.cloudflare.com/client/v4?', and every request goes to '…/v4?/accounts/…', i.e. to
  // /client/v4 with the real path in the query string. Expected: rejected, or returned without the marker.
  it.each(['https://api.cloudflare.com/client/v4?', 'https://api.cloudflare.com/client/v4#'])(
    'does not keep the empty query or fragment marker of %s',
    (value) => {
      let result: string
      try {
        result = parseApiBaseUrl(value)
      } catch (error) {
        expect(error).toBeInstanceOf(InputError)
        return
      }
      expect(result).toBe('https://api.cloudflare.com/client/v4')
    },
  )

  it('is what getApiSettings uses for api-base-url', () => {
    expect(api({ 'api-base-url': ' http://localhost:8080/client/v4/ ' }).apiBaseUrl).toBe(
      'http://localhost:8080/client/v4',
    )
    expect(inputError({ 'api-base-url': 'http://example.com' }).message).toMatch(/must use https/)
  })
})

describe('max-retries and timeout-seconds', () => {
  it('parses whole numbers within range', () => {
    const result = api({ 'max-retries': '10', 'timeout-seconds': '3600' })
    expect(result.maxRetries).toBe(10)
    expect(result.timeoutSeconds).toBe(3600)
    expect(api({ 'max-retries': '0' }).maxRetries).toBe(0)
  })

  it('accepts a fractional timeout-seconds', () => {
    expect(api({ 'timeout-seconds': '1.5' }).timeoutSeconds).toBe(1.5)
    expect(api({ 'timeout-seconds': '0.25' }).timeoutSeconds).toBe(0.25)
  })

  it.each([
    ['max-retries', '11', 'from 0 to 10', '3'],
    ['max-retries', '-1', 'from 0 to 10', '3'],
    ['max-retries', '1.5', 'from 0 to 10', '3'],
    ['max-retries', '1e1', 'from 0 to 10', '3'],
  ])('rejects %s: %s', (name, value, range, fallback) => {
    expect(inputError({ [name]: value }).message).toBe(
      `Input '${name}' must be a whole number ${range}, got '${value}'. Remove it to use the default, ${fallback}.`,
    )
  })

  it.each(['0', '0.0', '1e3', '3600.5', '.5', '1.', '-1', 'Infinity', '10s'])('rejects timeout-seconds %s', (value) => {
    expect(inputError({ 'timeout-seconds': value }).message).toMatch(
      new RegExp(`^Input 'timeout-seconds' must be a number of seconds .*got '${value.replace('.', '\\.')}'`),
    )
  })
})
