import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { setSecret } from '@actions/core'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { getApiShieldSettings } from '../../../src/api-shield/settings.ts'
import { DEFAULT_API_BASE_URL, getApiSettings, parseApiBaseUrl } from '../../../src/cloudflare/settings.ts'
import type { InputSource } from '../../../src/action/input-source.ts'
import { MAX_PEM_BYTES } from '../../../src/certificate/pem-file.ts'
import type { CertificateSpec } from '../../../src/certificate/spec.ts'
import { getSettings, type StepSettings } from '../../../src/upload/settings.ts'
import {
  ACCOUNT_ID,
  API_EMAIL,
  API_KEY,
  API_TOKEN,
  PASSPHRASE,
  ZONE_ID,
  makeWorkspace,
} from '../../../test-kit/fixtures.ts'
import { generateKey, keyPem } from '../../../test-kit/pki.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBcertificatebody\n-----END CERTIFICATE-----\n'
const PRIVATE_KEY = keyPem(generateKey('ec'), 'pkcs8')
const ENV_TOKEN = 'env-Tok3n-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const ENV_KEY = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed1'

/** The minimum inputs of a valid run: a client certificate, a token and an account. */
const BASE_INPUTS: Readonly<Record<string, string>> = {
  'account-id': ACCOUNT_ID,
  'api-token': API_TOKEN,
  certificate: CERTIFICATE,
  ca: 'false',
}

/** An in-memory InputSource: `inputs` are merged over BASE_INPUTS unless `base` is false. */
function source(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
  base = true,
): InputSource {
  const map: Record<string, string> = base ? { ...BASE_INPUTS, ...inputs } : inputs
  return { input: (name) => map[name] ?? '', env }
}

/** The step's settings and the certificate's spec, read together: each field lives in one of the two. */
function settings(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
): StepSettings & CertificateSpec {
  const { step, certificate } = getSettings(source(inputs, env))
  return { ...step, ...certificate }
}

/** The InputError getSettings throws; fails the test if it returns or throws something else. */
function inputError(inputs: Record<string, string>, env: Record<string, string | undefined> = {}): InputError {
  try {
    getSettings(source(inputs, env))
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('getSettings accepted the inputs')
}

const registered = (): string[] => vi.mocked(setSecret).mock.calls.map(([value]) => value)

beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

describe('getSettings defaults', () => {
  it('fills every optional setting with its documented default', () => {
    expect(settings()).toEqual({
      accountId: ACCOUNT_ID,
      certificate: { text: CERTIFICATE.trim(), input: 'certificate' },
      ca: false,
      allowMissingKey: false,
      credentials: { kind: 'token', token: API_TOKEN },
      apiBaseUrl: 'https://api.cloudflare.com/client/v4',
      expiryWarningDays: 30,
      maxRetries: 3,
      timeoutSeconds: 60,
      replace: false,
      replaceWhen: 'end-of-job',
      dryRun: false,
    })
    expect(DEFAULT_API_BASE_URL).toBe('https://api.cloudflare.com/client/v4')
  })

  it('trims inputs and keeps name, key and passphrase when given', () => {
    const result = settings({
      name: '  payments-client ',
      'private-key': PRIVATE_KEY,
      'private-key-passphrase': PASSPHRASE,
      replace: 'true',
      'dry-run': 'TRUE',
    })
    expect(result.name).toBe('payments-client')
    expect(result.privateKey).toEqual({ text: PRIVATE_KEY.trim(), input: 'private-key' })
    expect(result.privateKeyPassphrase).toBe(PASSPHRASE)
    expect(result.replace).toBe(true)
    expect(result.dryRun).toBe(true)
  })

  it('requires ca: it has no default', () => {
    expect(inputError({ ca: '' }).message).toMatch(/^Input 'ca' is required/)
  })

  it('requires name when replace is true', () => {
    expect(inputError({ replace: 'true' }).message).toMatch(/^Input 'replace' needs 'name'/)
  })
})

describe('replace-when', () => {
  it('takes end-of-job or immediately, and names both when given something else', () => {
    expect(settings({ 'replace-when': 'immediately' }).replaceWhen).toBe('immediately')
    expect(settings({ 'replace-when': 'end-of-job' }).replaceWhen).toBe('end-of-job')
    expect(inputError({ 'replace-when': 'end-of-step' }).message).toBe(
      "Input 'replace-when' must be one of end-of-job, immediately, got 'end-of-step'. Remove it to use the default, end-of-job.",
    )
  })
})

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
    expect(settings({ 'account-id': ACCOUNT_ID.toUpperCase() }).accountId).toBe(ACCOUNT_ID)
  })

  it('falls back to CLOUDFLARE_ACCOUNT_ID, and the input wins over it', () => {
    const other = 'ABCDEF0123456789abcdef0123456789'
    expect(settings({ 'account-id': '' }, { CLOUDFLARE_ACCOUNT_ID: other }).accountId).toBe(other.toLowerCase())
    expect(settings({}, { CLOUDFLARE_ACCOUNT_ID: other }).accountId).toBe(ACCOUNT_ID)
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
    expect(settings({ 'api-token': '' }, { CLOUDFLARE_API_TOKEN: ENV_TOKEN }).credentials).toEqual({
      kind: 'token',
      token: ENV_TOKEN,
    })
  })

  it('falls back to CLOUDFLARE_EMAIL with CLOUDFLARE_API_KEY', () => {
    const env = { CLOUDFLARE_EMAIL: API_EMAIL, CLOUDFLARE_API_KEY: ENV_KEY }
    expect(settings({ 'api-token': '' }, env).credentials).toEqual({
      kind: 'global-key',
      email: API_EMAIL,
      key: ENV_KEY,
    })
  })

  it('takes api-email and api-key inputs as a global key', () => {
    expect(settings({ 'api-token': '', 'api-email': API_EMAIL, 'api-key': API_KEY }).credentials).toEqual({
      kind: 'global-key',
      email: API_EMAIL,
      key: API_KEY,
    })
  })

  it('ignores every environment credential once any credential input is set', () => {
    const env = { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_EMAIL: API_EMAIL, CLOUDFLARE_API_KEY: ENV_KEY }
    // A token input with a global key in the environment is not a conflict: the environment is not read.
    expect(settings({}, env).credentials).toEqual({ kind: 'token', token: API_TOKEN })
    expect(settings({ 'api-token': '', 'api-email': API_EMAIL, 'api-key': API_KEY }, env).credentials).toEqual({
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
})

describe('booleans follow YAML 1.2', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('accepts %s', (value, expected) => {
    expect(settings({ ca: value }).ca).toBe(expected)
    expect(settings({ 'dry-run': value }).dryRun).toBe(expected)
  })

  it.each(['yes', 'no', '1', '0', 'on', 'off', 'tRUE', 'y'])('rejects %s', (value) => {
    expect(inputError({ 'dry-run': value }).message).toBe(
      `Input 'dry-run' must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE), got '${value}'.`,
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

  it('is what getSettings uses for api-base-url', () => {
    expect(settings({ 'api-base-url': ' http://localhost:8080/client/v4/ ' }).apiBaseUrl).toBe(
      'http://localhost:8080/client/v4',
    )
    expect(inputError({ 'api-base-url': 'http://example.com' }).message).toMatch(/must use https/)
  })
})

describe('hostile input stays linear', () => {
  /** Larger than any input the runner can pass (an environment variable), and a generous bound. */
  const SIZE = 1024 * 1024
  const WORST_CASE_MS = 3_000

  const elapsed = (run: () => unknown): number => {
    const started = performance.now()
    try {
      run()
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
    }
    return performance.now() - started
  }

  it.each([
    ['api-base-url', `https://api.cloudflare.com/${'/'.repeat(SIZE)}x`],
    ['api-base-url', `http://${'1'.repeat(SIZE)}`],
    ['account-id', 'a'.repeat(SIZE)],
    ['api-email', 'a@'.repeat(SIZE / 2)],
    ['api-token', `${'a'.repeat(SIZE)} `],
    ['timeout-seconds', `${'1'.repeat(SIZE)}.x`],
    ['max-retries', `${'1'.repeat(SIZE)}x`],
    ['name', 'n'.repeat(SIZE)],
    ['ca', 't'.repeat(SIZE)],
  ])('%s of 1 MiB', (name, value) => {
    const inputs = name === 'api-email' ? { 'api-token': '', 'api-key': API_KEY, [name]: value } : { [name]: value }
    expect(elapsed(() => getSettings(source(inputs)))).toBeLessThan(WORST_CASE_MS)
  })

  it.each([
    ['a scheme without a password', 'a'.repeat(SIZE)],
    ['many schemes', 'a://'.repeat(SIZE / 4)],
    ['many at signs', `http://${'u:p@'.repeat(SIZE / 4)}`],
  ])('a proxy URL of 1 MiB: %s', (_, proxy) => {
    expect(elapsed(() => getSettings(source({}, { HTTPS_PROXY: proxy })))).toBeLessThan(WORST_CASE_MS)
  })
})

describe('numbers', () => {
  it('parses whole numbers within range', () => {
    const result = settings({ 'expiry-warning-days': '0', 'max-retries': '10', 'timeout-seconds': '3600' })
    expect(result.expiryWarningDays).toBe(0)
    expect(result.maxRetries).toBe(10)
    expect(result.timeoutSeconds).toBe(3600)
    expect(settings({ 'max-retries': '0' }).maxRetries).toBe(0)
  })

  it('accepts a fractional timeout-seconds', () => {
    expect(settings({ 'timeout-seconds': '1.5' }).timeoutSeconds).toBe(1.5)
    expect(settings({ 'timeout-seconds': '0.25' }).timeoutSeconds).toBe(0.25)
  })

  it.each([
    ['max-retries', '11', 'from 0 to 10', '3'],
    ['max-retries', '-1', 'from 0 to 10', '3'],
    ['max-retries', '1.5', 'from 0 to 10', '3'],
    ['max-retries', '1e1', 'from 0 to 10', '3'],
    ['expiry-warning-days', '1e3', 'from 0 to 36500', '30'],
    ['expiry-warning-days', '36501', 'from 0 to 36500', '30'],
    ['expiry-warning-days', '0x10', 'from 0 to 36500', '30'],
    ['expiry-warning-days', 'thirty', 'from 0 to 36500', '30'],
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

describe('name', () => {
  it('rejects a name with a line break or longer than 200 characters', () => {
    expect(inputError({ name: 'a\nb' }).message).toMatch(/^Input 'name' must be a single line/)
    expect(inputError({ name: 'x'.repeat(201) }).message).toMatch(/^Input 'name' must be a single line/)
    expect(settings({ name: 'x'.repeat(200) }).name).toHaveLength(200)
  })
})

describe('certificate and key files', () => {
  const workspaces: string[] = []
  const workspace = (files: Record<string, string | Buffer>): string => {
    const path = makeWorkspace(files)
    workspaces.push(path)
    return path
  }
  afterAll(() => {
    for (const path of workspaces) rmSync(path, { recursive: true, force: true })
  })

  it('reads certificate-path relative to GITHUB_WORKSPACE, not the current directory', () => {
    const root = workspace({ 'certs/client.pem': CERTIFICATE })
    const result = settings({ certificate: '', 'certificate-path': 'certs/client.pem' }, { GITHUB_WORKSPACE: root })
    expect(result.certificate).toEqual({ text: CERTIFICATE, input: 'certificate-path', path: 'certs/client.pem' })
  })

  it.each([
    ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CERTIFICATE, 'utf16le')])],
    ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CERTIFICATE, 'utf16le').swap16()])],
    [
      'UTF-16BE with a stray odd byte',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CERTIFICATE, 'utf16le').swap16(), Buffer.from([0x0a])]),
    ],
  ])('reads a %s file with a byte-order mark as text', (_, bytes) => {
    const root = workspace({ 'certs/client.pem': bytes })
    const result = settings({ certificate: '', 'certificate-path': 'certs/client.pem' }, { GITHUB_WORKSPACE: root })
    expect(result.certificate.text).toBe(CERTIFICATE)
  })

  it('reads an absolute certificate-path as it is', () => {
    const root = workspace({ 'client.pem': CERTIFICATE })
    const other = workspace({})
    const result = settings(
      { certificate: '', 'certificate-path': join(root, 'client.pem') },
      { GITHUB_WORKSPACE: other },
    )
    expect(result.certificate.text).toBe(CERTIFICATE)
  })

  it('names the full path it looked for when the file is missing', () => {
    const root = workspace({})
    const error = inputError({ certificate: '', 'certificate-path': 'certs/missing.pem' }, { GITHUB_WORKSPACE: root })
    expect(error.message).toContain(
      `file 'certs/missing.pem' does not exist (looked for ${join(root, 'certs/missing.pem')})`,
    )
  })

  it('rejects a directory and a file over the size limit', () => {
    const root = workspace({ 'certs/a.txt': 'x', 'big.pem': 'A'.repeat(MAX_PEM_BYTES + 1) })
    const env = { GITHUB_WORKSPACE: root }
    expect(inputError({ certificate: '', 'certificate-path': 'certs' }, env).message).toMatch(/'certs' is a directory/)
    expect(inputError({ certificate: '', 'certificate-path': 'big.pem' }, env).message).toMatch(
      /'big\.pem' is larger than 256 KiB/,
    )
  })

  it('accepts a file of exactly the size limit', () => {
    const root = workspace({ 'edge.pem': 'A'.repeat(MAX_PEM_BYTES) })
    const result = settings({ certificate: '', 'certificate-path': 'edge.pem' }, { GITHUB_WORKSPACE: root })
    expect(result.certificate.text).toHaveLength(MAX_PEM_BYTES)
  })

  it('reads private-key-path relative to GITHUB_WORKSPACE and registers the key it read', () => {
    const root = workspace({ 'keys/client.key': PRIVATE_KEY })
    const result = settings({ 'private-key-path': 'keys/client.key' }, { GITHUB_WORKSPACE: root })
    expect(result.privateKey).toEqual({ text: PRIVATE_KEY, input: 'private-key-path', path: 'keys/client.key' })
    expect(registered()).toContain(PRIVATE_KEY)
  })

  describe.skipIf(process.platform === 'win32')('files that are not regular files, and symbolic links', () => {
    const certificatePath = (root: string, path: string): CertificateSpec =>
      settings({ certificate: '', 'certificate-path': path }, { GITHUB_WORKSPACE: root })
    const certificatePathError = (root: string, path: string): string =>
      inputError({ certificate: '', 'certificate-path': path }, { GITHUB_WORKSPACE: root }).message

    it('refuses a FIFO at once, for the certificate and for the key, rather than wait for a writer', () => {
      const root = workspace({})
      execFileSync('mkfifo', [join(root, 'pipe.pem')])
      expect(certificatePathError(root, 'pipe.pem')).toBe(
        "Input 'certificate-path': 'pipe.pem' is a named pipe (FIFO), not a regular file. Give the path of the PEM file itself, or pass the PEM text through certificate.",
      )
      expect(inputError({ 'private-key-path': 'pipe.pem' }, { GITHUB_WORKSPACE: root }).message).toBe(
        "Input 'private-key-path': 'pipe.pem' is a named pipe (FIFO), not a regular file. Give the path of the PEM file itself, or pass the PEM text through private-key.",
      )
    })

    it('refuses a character device', () => {
      expect(certificatePathError(workspace({}), '/dev/null')).toMatch(
        /^Input 'certificate-path': '\/dev\/null' is a character device, not a regular file\./,
      )
    })

    it('follows a symbolic link to a regular file, relative or absolute', () => {
      const root = workspace({ 'real/client.pem': CERTIFICATE })
      mkdirSync(join(root, 'certs'))
      symlinkSync('../real/client.pem', join(root, 'certs/relative.pem'))
      symlinkSync(join(root, 'real/client.pem'), join(root, 'certs/absolute.pem'))
      expect(certificatePath(root, 'certs/relative.pem').certificate.text).toBe(CERTIFICATE)
      expect(certificatePath(root, 'certs/absolute.pem').certificate.text).toBe(CERTIFICATE)
    })

    it('says a symbolic link loop is one', () => {
      const root = workspace({})
      symlinkSync('b.pem', join(root, 'a.pem'))
      symlinkSync('a.pem', join(root, 'b.pem'))
      expect(certificatePathError(root, 'a.pem')).toBe(
        "Input 'certificate-path': 'a.pem' is a symbolic link loop: following it leads back to itself. Point the link at the PEM file, or give the file's own path.",
      )
    })

    it('names the missing target of a dangling symbolic link', () => {
      const root = workspace({})
      symlinkSync('gone.pem', join(root, 'client.pem'))
      expect(certificatePathError(root, 'client.pem')).toBe(
        "Input 'certificate-path': 'client.pem' is a symbolic link to 'gone.pem', which does not exist. Point the link at the PEM file, or give the file's own path.",
      )
    })
  })

  it('rejects both forms of one input, and a key with ca: true', () => {
    const root = workspace({ 'client.pem': CERTIFICATE })
    const env = { GITHUB_WORKSPACE: root }
    expect(inputError({ 'certificate-path': 'client.pem' }, env).message).toMatch(
      /^Inputs 'certificate' and 'certificate-path' are both set/,
    )
    expect(inputError({ 'private-key': PRIVATE_KEY, 'private-key-path': 'client.pem' }, env).message).toMatch(
      /^Inputs 'private-key' and 'private-key-path' are both set/,
    )
    expect(inputError({ 'private-key': PRIVATE_KEY, ca: 'true' }).message).toMatch(
      /^Input 'private-key' is set with ca: true/,
    )
  })
})

describe('secret registration', () => {
  it('registers a private key pasted into the certificate input, which the check then rejects by name', () => {
    const result = settings({ certificate: `${CERTIFICATE}${PRIVATE_KEY}` })
    expect(result.certificate.text).toContain(PRIVATE_KEY.trim())
    expect(registered()).toContain(PRIVATE_KEY.trim())
  })

  it('registers the token, API key, passphrase and private key before an unrelated input fails', () => {
    const error = inputError({
      'account-id': 'not-an-account-id',
      'api-key': API_KEY,
      'private-key': PRIVATE_KEY,
      'private-key-passphrase': PASSPHRASE,
    })
    expect(error.message).toMatch(/^Input 'account-id' must be 32 hexadecimal characters/)
    expect(registered()).toEqual(expect.arrayContaining([API_TOKEN, API_KEY, PASSPHRASE, PRIVATE_KEY]))
    // The key is registered line by line too, so a log line that prints one line of it is masked.
    expect(registered()).toContain(PRIVATE_KEY.split('\n')[1])
  })

  it('registers a key also as the PEM scanner reads it: de-indented, literal \\n as line breaks', () => {
    const indented = PRIVATE_KEY.replace(/^(?=.)/gm, '    ')
    inputError({ 'account-id': '', 'private-key': indented })
    expect(registered()).toEqual(expect.arrayContaining([indented, PRIVATE_KEY.trim()]))

    vi.mocked(setSecret).mockClear()
    const escaped = PRIVATE_KEY.replace(/\n/g, String.raw`\n`)
    inputError({ 'account-id': '', 'private-key': escaped })
    expect(registered()).toEqual(expect.arrayContaining([escaped, PRIVATE_KEY.trim(), PRIVATE_KEY.split('\n')[1]]))
  })

  it('registers a key read from private-key-path also as the PEM scanner reads it', () => {
    const escaped = PRIVATE_KEY.replace(/\n/g, String.raw`\n`)
    const root = makeWorkspace({ 'client.key': escaped })
    try {
      settings({ 'private-key-path': 'client.key' }, { GITHUB_WORKSPACE: root })
      expect(registered()).toEqual(expect.arrayContaining([escaped, PRIVATE_KEY.trim()]))
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('keeps the passphrase as given, and registers it both as given and trimmed', () => {
    const spaced = `  ${PASSPHRASE} \n`
    expect(settings({ 'private-key': PRIVATE_KEY, 'private-key-passphrase': spaced }).privateKeyPassphrase).toBe(spaced)
    expect(registered()).toEqual(expect.arrayContaining([spaced, PASSPHRASE]))
  })

  it('takes a passphrase of spaces only as no passphrase: it could not be masked', () => {
    expect(
      settings({ 'private-key': PRIVATE_KEY, 'private-key-passphrase': '   ' }).privateKeyPassphrase,
    ).toBeUndefined()
  })

  it('registers the environment token and key before an unrelated input fails', () => {
    inputError({ 'api-token': '', ca: 'maybe' }, { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_API_KEY: ENV_KEY })
    expect(registered()).toEqual(expect.arrayContaining([ENV_TOKEN, ENV_KEY]))
  })

  it('registers the password of a proxy URL', () => {
    settings({}, { HTTPS_PROXY: 'http://user:s3cretpass@proxy:3128' })
    expect(registered()).toContain('s3cretpass')
    expect(registered()).not.toContain('user')
  })

  it('registers a percent-encoded proxy password both decoded and as written', () => {
    settings({}, { http_proxy: 'user:p%40ssw0rd!x@proxy.internal:8080' })
    expect(registered()).toEqual(expect.arrayContaining(['p@ssw0rd!x', 'p%40ssw0rd!x']))
  })

  it('registers the Basic credentials sent to the proxy', () => {
    settings({}, { https_proxy: 'http://ci%20user:p%40ss@proxy.internal:8080' })
    expect(registered()).toContain(Buffer.from('ci user:p@ss').toString('base64'))
  })

  it('registers nothing for a proxy without a password, or one that is not a URL', () => {
    settings({}, { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://[broken' })
    expect(registered()).toEqual([API_TOKEN])
  })
})

describe('API Shield inputs (zone-id and hostnames)', () => {
  const CA = { ca: 'true' }
  const SHIELD = { 'zone-id': ZONE_ID, hostnames: 'api.example.com' }

  it('are read together, normalised, with a CA', () => {
    const read = settings({ ...CA, 'zone-id': ZONE_ID.toUpperCase(), hostnames: ' API.example.com,\n*.example.com ' })
    expect(read.apiShield).toEqual({ zoneId: ZONE_ID, hostnames: ['api.example.com', '*.example.com'] })
  })

  it('are absent when neither is given', () => {
    expect(settings(CA).apiShield).toBeUndefined()
  })

  it.each([
    [{ ...CA, 'zone-id': ZONE_ID }, /^Input 'zone-id' needs 'hostnames'/],
    [{ ...CA, hostnames: 'api.example.com' }, /^Input 'hostnames' needs 'zone-id'/],
    [{ ...SHIELD, 'private-key': PRIVATE_KEY }, /^Input 'zone-id' is only for a CA certificate \(ca: true\)/],
    [{ ...CA, ...SHIELD, 'zone-id': 'example.com' }, /^Input 'zone-id' must be 32 hexadecimal characters/],
    [{ ...CA, ...SHIELD, hostnames: 'api.example.com:443' }, /^Input 'hostnames': 'api\.example\.com:443' has a port/],
  ])('refuses %j', (inputs, message) => {
    expect(inputError(inputs).message).toMatch(message)
  })

  it('are read again by the post step, with the ca flag the main step saved', () => {
    const post = source(SHIELD)
    expect(getApiShieldSettings(post, true)?.hostnames).toEqual(['api.example.com'])
    expect(() => getApiShieldSettings(post, false)).toThrow(InputError)
  })
})

describe('Wrangler inputs (wrangler-config and binding)', () => {
  const KEY = { 'private-key': PRIVATE_KEY }
  const workspace = makeWorkspace({
    'wrangler.toml': '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
    'apps/api/wrangler.jsonc': '{ "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }',
  })
  const env = { GITHUB_WORKSPACE: workspace }

  it('are read together with a client certificate and its key: one target per path, each once', () => {
    const read = settings(
      {
        ...KEY,
        'wrangler-config': 'wrangler.toml\n  apps/api/wrangler.jsonc \n\nwrangler.toml',
        binding: 'PAYMENTS_CERT',
      },
      env,
    )
    expect(read.wrangler).toEqual([
      { config: 'wrangler.toml', binding: 'PAYMENTS_CERT' },
      { config: 'apps/api/wrangler.jsonc', binding: 'PAYMENTS_CERT' },
    ])
  })

  it('are absent when neither is given', () => {
    expect(settings(KEY, env).wrangler).toBeUndefined()
  })

  it.each([
    [{ ...KEY, 'wrangler-config': 'wrangler.toml' }, /^Input 'wrangler-config' needs 'binding'/],
    [{ ...KEY, binding: 'PAYMENTS_CERT' }, /^Input 'binding' needs 'wrangler-config'/],
    [
      { ca: 'true', 'wrangler-config': 'wrangler.toml', binding: 'X' },
      /^Input 'wrangler-config' is only for a client certificate/,
    ],
    [
      { 'allow-missing-key': 'true', 'wrangler-config': 'wrangler.toml', binding: 'X' },
      /needs the certificate's private key/,
    ],
    [
      { ...KEY, 'wrangler-config': 'wrangler.toml', binding: 'PAYMENTS-CERT' },
      /^Input 'binding': 'PAYMENTS-CERT' is not a binding name/,
    ],
    [{ ...KEY, 'wrangler-config': 'wrangler.yaml', binding: 'X' }, /is not a Wrangler configuration file/],
    [
      { ...KEY, 'wrangler-config': '/etc/wrangler.toml', binding: 'X' },
      /^Input 'wrangler-config': '\/etc\/wrangler.toml' is an absolute path/,
    ],
    [{ ...KEY, 'wrangler-config': '../other/wrangler.toml', binding: 'X' }, /leads outside the workspace/],
  ])('refuses %j', (inputs, message) => {
    expect(inputError(inputs, env).message).toMatch(message)
  })

  it('checks each file before anything is sent: it exists and has the binding', () => {
    const inputs = { ...KEY, binding: 'PAYMENTS_CERT' }
    expect(inputError({ ...inputs, 'wrangler-config': 'missing.toml' }, env).message).toMatch(/does not exist/)
    expect(inputError({ ...inputs, binding: 'OTHER', 'wrangler-config': 'wrangler.toml' }, env).message).toMatch(
      /has no mtls_certificates entry with binding = "OTHER".*it has PAYMENTS_CERT \(top level\)/,
    )
  })

  it('refuses a symbolic link that leads out of the workspace', () => {
    const outside = makeWorkspace({ 'wrangler.toml': '' })
    symlinkSync(join(outside, 'wrangler.toml'), join(workspace, 'linked.toml'))
    symlinkSync(outside, join(workspace, 'linked-dir'))
    const inputs = { ...KEY, binding: 'X' }
    expect(inputError({ ...inputs, 'wrangler-config': 'linked.toml' }, env).message).toMatch(
      /is a symbolic link.*outside/,
    )
    expect(inputError({ ...inputs, 'wrangler-config': 'linked-dir/wrangler.toml' }, env).message).toMatch(/outside/)
  })
})
