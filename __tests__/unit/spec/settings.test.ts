import { rmSync } from 'node:fs'
import { setSecret } from '@actions/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { InputError } from '../../../src/core/errors.ts'
import { DEFAULT_API_BASE_URL } from '../../../src/spec/api-settings.ts'
import type { InputSource } from '../../../src/action/input-source.ts'
import { MAX_PEM_BYTES } from '../../../src/certificate/pem-file.ts'
import type { CertificateSpec } from '../../../src/certificate/spec.ts'
import { getCheckSettings, getSettings, type StepSettings } from '../../../src/spec/settings.ts'
import { ACCOUNT_ID, API_KEY, API_TOKEN, PASSPHRASE, ZONE_ID, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { generateKey, keyPem } from '../../../test-kit/pki.ts'
import { inputSource } from '../fakes.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBcertificatebody\n-----END CERTIFICATE-----\n'
const PRIVATE_KEY = keyPem(generateKey('ec'), 'pkcs8')
const ENV_TOKEN = 'env-Tok3n-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const ENV_KEY = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed1'

/**
 * The minimum inputs of a valid run: a client certificate, a token and an account. Without a key, so
 * allow-missing-key: true (certificate/rules.ts refuses a client certificate without its key otherwise).
 */
const BASE_INPUTS: Readonly<Record<string, string>> = {
  'account-id': ACCOUNT_ID,
  'api-token': API_TOKEN,
  certificate: CERTIFICATE,
  ca: 'false',
  'allow-missing-key': 'true',
}

/** An in-memory InputSource: `inputs` are merged over BASE_INPUTS unless `base` is false. */
function source(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
  base = true,
): InputSource {
  return inputSource(base ? { ...BASE_INPUTS, ...inputs } : inputs, env)
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
      allowMissingKey: true,
      credentials: { kind: 'token', token: API_TOKEN },
      apiBaseUrl: 'https://api.cloudflare.com/client/v4',
      expiryWarningDays: 30,
      maxRetries: 3,
      timeoutSeconds: 60,
      replace: false,
      replaceWhen: 'end-of-job',
      dryRun: false,
      workspace: process.cwd(),
      checkWorkers: false,
      consumers: { pages: false, hyperdrive: false, rollbackDeployments: 0 },
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
    expect(settings({ 'check-workers': 'true' }).checkWorkers).toBe(true)
    // check-consumers' workers is check-workers: true; its other kinds and rollback-deployments are read with it.
    const all = settings({ 'check-consumers': 'workers\npages', 'rollback-deployments': '3' })
    expect(all.checkWorkers).toBe(true)
    expect(all.consumers).toEqual({ pages: true, hyperdrive: false, rollbackDeployments: 3 })
    expect(inputError({ 'check-consumers': 'd1' }).message).toContain("Input 'check-consumers' has 'd1'")
    expect(inputError({ 'rollback-deployments': '101' }).message).toContain('rollback-deployments')
    expect(settings({}, { GITHUB_WORKSPACE: '/home/runner/work/repo' }).workspace).toBe('/home/runner/work/repo')
  })

  it('requires ca: it has no default', () => {
    expect(inputError({ ca: '' }).message).toMatch(
      /^Input 'ca' is required, and is empty: .*\$\{\{ vars\.NAME \}\}.* an unset variable or secret reads as empty\.$/,
    )
  })

  it('requires name when replace is true', () => {
    expect(inputError({ replace: 'true' }).message).toMatch(/^Input 'replace' needs name: /)
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

describe('expiry-warning-days', () => {
  it('parses whole numbers within range', () => {
    expect(settings({ 'expiry-warning-days': '0' }).expiryWarningDays).toBe(0)
  })

  it.each([
    ['expiry-warning-days', '1e3', 'from 0 to 36500', '30'],
    ['expiry-warning-days', '36501', 'from 0 to 36500', '30'],
    ['expiry-warning-days', '0x10', 'from 0 to 36500', '30'],
    ['expiry-warning-days', 'thirty', 'from 0 to 36500', '30'],
  ])('rejects %s: %s', (name, value, range, fallback) => {
    expect(inputError({ [name]: value }).message).toBe(
      `Input '${name}' must be a whole number ${range}, got '${value}'. Remove it to use the default, ${fallback}.`,
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

describe('certificate and key inputs', () => {
  // What a path input's file may be, and the messages about it: certificate/pem-file.test.ts.
  const workspaces: string[] = []
  const workspace = (files: Record<string, string>): string => {
    const path = makeWorkspace(files)
    workspaces.push(path)
    return path
  }
  afterAll(() => {
    for (const path of workspaces) rmSync(path, { recursive: true, force: true })
  })

  it('reads certificate-path relative to GITHUB_WORKSPACE, and notes the input and path it came from', () => {
    const root = workspace({ 'certs/client.pem': CERTIFICATE })
    const result = settings({ certificate: '', 'certificate-path': 'certs/client.pem' }, { GITHUB_WORKSPACE: root })
    expect(result.certificate).toEqual({ text: CERTIFICATE, input: 'certificate-path', path: 'certs/client.pem' })
    expect(inputError({ certificate: '', 'certificate-path': 'certs/client.pem' }).message).toMatch(
      /^Input 'certificate-path': file 'certs\/client\.pem' does not exist/,
    )
  })

  it('reads private-key-path relative to GITHUB_WORKSPACE and registers the key it read before an unrelated input fails', () => {
    const root = workspace({ 'keys/client.key': PRIVATE_KEY })
    const result = settings({ 'private-key-path': 'keys/client.key' }, { GITHUB_WORKSPACE: root })
    expect(result.privateKey).toEqual({ text: PRIVATE_KEY, input: 'private-key-path', path: 'keys/client.key' })
    expect(registered()).toContain(PRIVATE_KEY)

    vi.mocked(setSecret).mockClear()
    inputError({ 'account-id': '', 'private-key-path': 'keys/client.key' }, { GITHUB_WORKSPACE: root })
    expect(registered()).toContain(PRIVATE_KEY)
  })

  it('rejects certificate or private-key text over the size a file may have', () => {
    const big = 'A'.repeat(MAX_PEM_BYTES + 1)
    expect(inputError({ certificate: big }).message).toMatch(/^Input 'certificate' is larger than 256 KiB/)
    expect(inputError({ 'private-key': big }).message).toMatch(/^Input 'private-key' is larger than 256 KiB/)
    expect(settings({ certificate: 'A'.repeat(MAX_PEM_BYTES) }).certificate.text).toHaveLength(MAX_PEM_BYTES)
  })

  it('rejects both forms of one input, and a key with ca: true', () => {
    const root = workspace({ 'client.pem': CERTIFICATE })
    const env = { GITHUB_WORKSPACE: root }
    expect(inputError({ 'certificate-path': 'client.pem' }, env).message).toMatch(
      /^Inputs 'certificate' and 'certificate-path' are both set/,
    )
    expect(inputError({ 'private-key': PRIVATE_KEY, 'private-key-path': 'client.pem' }, env).message).toMatch(
      /^Input 'private-key-path' is set with private-key: give the key once/,
    )
    expect(inputError({ 'private-key': PRIVATE_KEY, ca: 'true' }).message).toMatch(
      /^Input 'private-key' is set with ca: true/,
    )
  })

  it('reports every rule the inputs break at once, before any file is read', () => {
    const message = inputError({
      'certificate-path': 'no/such/file.pem',
      certificate: '',
      ca: 'true',
      'private-key-path': 'no/such/key.pem',
      binding: 'PAYMENTS_CERT',
    }).message
    expect(message).toMatch(
      /^The inputs have 2 problems, so nothing was sent: \(1\) Input 'private-key-path' is set with ca: true/,
    )
    expect(message).toMatch(/\(2\) Input 'binding' is only for a client certificate \(ca: false\)/)
  })

  it('refuses a passphrase without a key, as an error (no longer a warning)', () => {
    expect(inputError({ 'private-key-passphrase': PASSPHRASE }).message).toMatch(
      /^Input 'private-key-passphrase' is set but no private key is: set private-key or private-key-path/,
    )
  })

  it('refuses a client certificate without its key unless allow-missing-key says so', () => {
    expect(inputError({ 'allow-missing-key': '' }).message).toMatch(
      /^Input 'private-key' is empty or not set, and ca: false uploads a client certificate/,
    )
  })
})

describe('secrets, registered before any input is checked', () => {
  // Which forms of each secret are registered: action/secrets.test.ts.
  it('registers every secret input, the environment credentials and a key pasted into certificate before an unrelated input fails', () => {
    const error = inputError(
      {
        'account-id': 'not-an-account-id',
        'api-key': API_KEY,
        certificate: `${CERTIFICATE}${PRIVATE_KEY}`,
        'private-key': PRIVATE_KEY,
        'private-key-passphrase': PASSPHRASE,
      },
      { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_API_KEY: ENV_KEY },
    )
    expect(error.message).toMatch(/^Input 'account-id' must be 32 hexadecimal characters/)
    expect(registered()).toEqual(
      expect.arrayContaining([API_TOKEN, API_KEY, PASSPHRASE, PRIVATE_KEY, PRIVATE_KEY.trim(), ENV_TOKEN, ENV_KEY]),
    )

    vi.mocked(setSecret).mockClear()
    inputError({ 'api-token': '', ca: 'maybe' }, { CLOUDFLARE_API_TOKEN: ENV_TOKEN })
    expect(registered()).toContain(ENV_TOKEN)
  })

  it('keeps a private key pasted into the certificate input, for the check to reject it by name', () => {
    expect(settings({ certificate: `${CERTIFICATE}${PRIVATE_KEY}` }).certificate.text).toContain(PRIVATE_KEY.trim())
  })

  it('keeps the passphrase as given, spaces and all', () => {
    const spaced = `  ${PASSPHRASE} \n`
    expect(settings({ 'private-key': PRIVATE_KEY, 'private-key-passphrase': spaced }).privateKeyPassphrase).toBe(spaced)
  })

  it('takes a passphrase of spaces only as no passphrase: it could not be masked', () => {
    expect(
      settings({ 'private-key': PRIVATE_KEY, 'private-key-passphrase': '   ' }).privateKeyPassphrase,
    ).toBeUndefined()
  })
})

describe('API Shield inputs', () => {
  it('are read with the ca flag of the certificate', () => {
    const shield = { 'zone-id': ZONE_ID, hostnames: 'api.example.com' }
    expect(settings({ ca: 'true', ...shield }).apiShield).toEqual({ zoneId: ZONE_ID, hostnames: ['api.example.com'] })
    expect(inputError({ ...shield, 'private-key': PRIVATE_KEY }).message).toMatch(
      /^Input 'zone-id' is only for a CA certificate \(ca: true\)/,
    )
  })
})

describe('store and swap inputs', () => {
  /** Neither the client certificate's ca nor allow-missing-key of BASE_INPUTS: the store decides. */
  const store = (inputs: Record<string, string>) => ({ ca: '', 'allow-missing-key': '', ...inputs })

  it('read an Access CA without ca (a CA, by the store): its hostnames, zone and swap, and no API Shield', () => {
    const access = settings(
      store({
        store: 'access',
        name: 'partners',
        'zone-id': ZONE_ID,
        hostnames: 'App.Example.com',
        swap: 'detach-first',
      }),
    )
    expect(access).toMatchObject({
      store: 'access',
      ca: true,
      storeScope: { zoneId: ZONE_ID, hostnames: ['app.example.com'], swap: 'detach-first' },
    })
    expect(access).not.toHaveProperty('apiShield')
    expect(settings(store({ store: 'access', name: 'partners' })).storeScope).toEqual({ hostnames: [] })
  })

  it('read an origin pull leaf without ca (a leaf, by the store), with its key and zone', () => {
    const origin = settings(store({ store: 'origin-pull', 'private-key': PRIVATE_KEY, 'zone-id': ZONE_ID }))
    expect(origin).toMatchObject({ store: 'origin-pull', ca: false, storeScope: { zoneId: ZONE_ID, hostnames: [] } })
    expect(origin.privateKey?.input).toBe('private-key')
  })

  it('take mtls as the default, with ca required, and refuse a store that is none, listing the choices', () => {
    expect(settings({ store: 'mtls' })).not.toHaveProperty('store')
    expect(settings({ store: 'mtls' })).not.toHaveProperty('storeScope')
    expect(inputError(store({ store: 'mtls' })).message).toMatch(/^Input 'ca' is required/)
    expect(inputError({ store: 'gateway' }).message).toBe(
      "Input 'store' must be one of mtls, access, origin-pull, got 'gateway'. Remove it to use the default, mtls.",
    )
  })

  it("refuse swap on the account store, a swap that is not detach-first, and what a store's rules refuse", () => {
    expect(inputError({ swap: 'detach-first' }).message).toMatch(/^Input 'swap' is only for store: access/)
    expect(inputError(store({ store: 'access', name: 'p', swap: 'attach-first' })).message).toMatch(
      /^Input 'swap' must be one of detach-first, got 'attach-first'/,
    )
    expect(inputError(store({ store: 'access' })).message).toMatch(/Input 'name' is needed with store: access/)
    expect(inputError(store({ store: 'origin-pull', 'private-key': PRIVATE_KEY })).message).toMatch(
      /Input 'zone-id' is needed with store: origin-pull/,
    )
    expect(inputError(store({ store: 'access', name: 'p', ca: 'false' })).message).toMatch(
      /Input 'ca' is false, but store: access holds CA certificates/,
    )
  })
})

describe('Wrangler inputs (wrangler-config and binding)', () => {
  // Each refusal, and the checks of the files: wrangler/settings.test.ts.
  const root = makeWorkspace({ 'wrangler.toml': '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n' })
  afterAll(() => {
    rmSync(root, { recursive: true, force: true })
  })
  const wrangler = { 'wrangler-config': 'wrangler.toml', binding: 'PAYMENTS_CERT' }
  const env = { GITHUB_WORKSPACE: root }

  it('are read from the workspace with the ca flag and whether a key is given', () => {
    expect(settings({ 'private-key': PRIVATE_KEY, ...wrangler }, env).wrangler).toEqual([
      { config: 'wrangler.toml', binding: 'PAYMENTS_CERT' },
    ])
    expect(settings({ 'private-key': PRIVATE_KEY }, env).wrangler).toBeUndefined()
    expect(inputError({ 'private-key': PRIVATE_KEY, ...wrangler }).message).toMatch(/does not exist/)
    expect(inputError({ ca: 'true', ...wrangler }, env).message).toMatch(
      /^Input 'wrangler-config' is only for a client certificate/,
    )
    expect(inputError({ 'allow-missing-key': 'true', ...wrangler }, env).message).toMatch(
      /needs the certificate's private key/,
    )
  })
})

describe('getCheckSettings', () => {
  it("reads what a manifest's checks need without Cloudflare's credentials (a fork's pull request has none)", () => {
    const fork = inputSource({ manifest: 'm.yml', 'expiry-warning-days': '7' }, { GITHUB_WORKSPACE: '/work/space' })
    expect(getCheckSettings(fork)).toEqual({ expiryWarningDays: 7, workspace: '/work/space' })
    expect(() => getSettings(fork)).toThrow(InputError)
  })
})
