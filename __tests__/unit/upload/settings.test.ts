import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { setSecret } from '@actions/core'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { DEFAULT_API_BASE_URL } from '../../../src/cloudflare/settings.ts'
import type { InputSource } from '../../../src/action/input-source.ts'
import { MAX_PEM_BYTES } from '../../../src/certificate/pem-file.ts'
import type { CertificateSpec } from '../../../src/certificate/spec.ts'
import { getSettings, type StepSettings } from '../../../src/upload/settings.ts'
import { ACCOUNT_ID, API_KEY, API_TOKEN, PASSPHRASE, ZONE_ID, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { generateKey, keyPem } from '../../../test-kit/pki.ts'
import { inputSource } from '../fakes.ts'

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
    expect(inputError({ ca: '' }).message).toMatch(
      /^Input 'ca' is required, and is empty: .*\$\{\{ vars\.NAME \}\}.* an unset variable or secret reads as empty\.$/,
    )
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

describe('API Shield inputs', () => {
  it('are read with the ca flag of the certificate', () => {
    const shield = { 'zone-id': ZONE_ID, hostnames: 'api.example.com' }
    expect(settings({ ca: 'true', ...shield }).apiShield).toEqual({ zoneId: ZONE_ID, hostnames: ['api.example.com'] })
    expect(inputError({ ...shield, 'private-key': PRIVATE_KEY }).message).toMatch(
      /^Input 'zone-id' is only for a CA certificate \(ca: true\)/,
    )
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
    [{ ...KEY, 'wrangler-config': '../other/wrangler.toml', binding: 'X' }, /leads out of the workspace/],
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
      /is or passes through a symbolic link that leads out of the workspace/,
    )
    expect(inputError({ ...inputs, 'wrangler-config': 'linked-dir/wrangler.toml' }, env).message).toMatch(
      /leads out of the workspace/,
    )
  })
})
