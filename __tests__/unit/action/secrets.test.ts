import { setSecret } from '@actions/core'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { registerPemSecrets, registerSecret, registerSecretInputs, secretForms } from '../../../src/action/secrets.ts'
import { API_KEY, API_TOKEN, PASSPHRASE, pemArmour } from '../../../test-kit/fixtures.ts'
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

const registered = (): string[] => vi.mocked(setSecret).mock.calls.map(([value]) => value)

beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

describe('secretForms', () => {
  it('gives a one-line secret as it is, once', () => {
    expect(secretForms(PASSPHRASE)).toEqual([PASSPHRASE])
  })

  it('adds the trimmed value and the JSON-escaped form of a value with quotes and backslashes', () => {
    const forms = secretForms('  pa"ss\\word  ')
    expect(forms).toContain('  pa"ss\\word  ')
    expect(forms).toContain('pa"ss\\word')
    expect(forms).toContain('pa\\"ss\\\\word')
  })

  it('adds the form the log sink shows, with format and C1 characters escaped, so that it is masked as printed', () => {
    // JSON leaves U+202E and DEL as they are; the sink (text.ts printable) escapes them.
    expect(secretForms('pass\u202eword\u007f')).toContain('pass\\u202eword\\u007f')
  })

  it('gives a CRLF key whole, CRLF-normalised, JSON-escaped and line by line, without armour lines', () => {
    const pem = keyPem(generateKey('ec'), 'pkcs8', { crlf: true })
    const lf = pem.trim().replace(/\r\n/g, '\n')
    const bodyLines = lf.split('\n').slice(1, -1)
    const forms = secretForms(pem)

    expect(forms).toContain(pem)
    expect(forms).toContain(pem.trim())
    expect(forms).toContain(lf)
    expect(forms).toContain(JSON.stringify(lf).slice(1, -1))
    expect(forms).toContain(JSON.stringify(pem).slice(1, -1))
    expect(forms).toEqual(expect.arrayContaining(bodyLines))
    expect(forms).not.toContain(pemArmour('BEGIN', 'PRIVATE KEY'))
    expect(forms).not.toContain(pemArmour('END', 'PRIVATE KEY'))
    // Nothing else: every form is one of the above, without duplicates.
    expect(new Set(forms).size).toBe(forms.length)
    expect(forms).toHaveLength(6 + bodyLines.length)
  })

  it('leaves out short lines, such as the tail of a base64 body', () => {
    const value = 'first-long-line-of-secret\nabc=\n-----END RSA PRIVATE KEY-----'
    const forms = secretForms(value)
    expect(forms).toContain('first-long-line-of-secret')
    expect(forms).not.toContain('abc=')
    expect(forms).not.toContain('-----END RSA PRIVATE KEY-----')
  })

  it('splits on a lone CR too', () => {
    expect(secretForms('line-one-long\rline-two-long')).toEqual(
      expect.arrayContaining(['line-one-long', 'line-two-long', 'line-one-long\nline-two-long']),
    )
  })

  it('gives nothing for an empty or blank value', () => {
    expect(secretForms('')).toEqual([])
    expect(secretForms(' \n ')).toEqual([])
  })

  // The length floor is for the lines of a PEM (armour, padding), not for the whole value.
  it('still gives a short one-line secret, such as a 7-character passphrase, as a whole', () => {
    expect(secretForms('hunter2')).toEqual(['hunter2'])
  })
})

describe('registerSecret', () => {
  it('passes setSecret the key with CRLF and with LF, JSON-escaped, and each long line, each once', () => {
    const key = 'first-secret-line-0123\r\nsecond-secret-line-4567'
    registerSecret(key)
    const registered = vi.mocked(setSecret).mock.calls.map(([form]) => form)
    expect([...registered].sort()).toEqual(
      [
        'first-secret-line-0123\r\nsecond-secret-line-4567',
        'first-secret-line-0123\nsecond-secret-line-4567',
        'first-secret-line-0123\\r\\nsecond-secret-line-4567',
        'first-secret-line-0123\\nsecond-secret-line-4567',
        'first-secret-line-0123',
        'second-secret-line-4567',
      ].sort(),
    )
  })

  it('does nothing for an empty or missing value', () => {
    registerSecret('')
    registerSecret(undefined)
    expect(setSecret).not.toHaveBeenCalled()
  })
})

describe('registerSecretInputs', () => {
  const register = (inputs: Record<string, string>, env: Record<string, string | undefined> = {}): string[] => {
    registerSecretInputs(inputSource(inputs, env))
    return registered()
  }

  it('registers the token, API key, passphrase and private key, the key line by line too', () => {
    const forms = register({
      'api-token': API_TOKEN,
      'api-key': API_KEY,
      'private-key': PRIVATE_KEY,
      'private-key-passphrase': PASSPHRASE,
    })
    expect(forms).toEqual(expect.arrayContaining([API_TOKEN, API_KEY, PASSPHRASE, PRIVATE_KEY]))
    // The key is registered line by line too, so a log line that prints one line of it is masked.
    expect(forms).toContain(PRIVATE_KEY.split('\n')[1])
  })

  it('registers a key also as the PEM scanner reads it: de-indented, literal \\n as line breaks', () => {
    const indented = PRIVATE_KEY.replace(/^(?=.)/gm, '    ')
    expect(register({ 'private-key': indented })).toEqual(expect.arrayContaining([indented, PRIVATE_KEY.trim()]))

    vi.mocked(setSecret).mockClear()
    const escaped = PRIVATE_KEY.replace(/\n/g, String.raw`\n`)
    expect(register({ 'private-key': escaped })).toEqual(
      expect.arrayContaining([escaped, PRIVATE_KEY.trim(), PRIVATE_KEY.split('\n')[1]]),
    )
  })

  it('registers the passphrase both as given and trimmed', () => {
    const spaced = `  ${PASSPHRASE} \n`
    expect(register({ 'private-key-passphrase': spaced })).toEqual(expect.arrayContaining([spaced, PASSPHRASE]))
  })

  it('registers the environment token and key', () => {
    expect(register({}, { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_API_KEY: ENV_KEY })).toEqual(
      expect.arrayContaining([ENV_TOKEN, ENV_KEY]),
    )
  })

  it('registers the password of a proxy URL', () => {
    const forms = register({}, { HTTPS_PROXY: 'http://user:s3cretpass@proxy:3128' })
    expect(forms).toContain('s3cretpass')
    expect(forms).not.toContain('user')
  })

  it('registers a percent-encoded proxy password both decoded and as written', () => {
    expect(register({}, { http_proxy: 'user:p%40ssw0rd!x@proxy.internal:8080' })).toEqual(
      expect.arrayContaining(['p@ssw0rd!x', 'p%40ssw0rd!x']),
    )
  })

  it('registers the Basic credentials sent to the proxy', () => {
    expect(register({}, { https_proxy: 'http://ci%20user:p%40ss@proxy.internal:8080' })).toContain(
      Buffer.from('ci user:p@ss').toString('base64'),
    )
  })

  it('registers nothing for a proxy without a password, or one that is not a URL', () => {
    expect(
      register({ 'api-token': API_TOKEN }, { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://[broken' }),
    ).toEqual([API_TOKEN])
  })
})

describe('registerPemSecrets', () => {
  it('registers a private key pasted into the certificate text', () => {
    registerPemSecrets(`${CERTIFICATE}${PRIVATE_KEY}`, undefined)
    expect(registered()).toContain(PRIVATE_KEY.trim())
    expect(registered()).not.toContain(CERTIFICATE.trim())
  })

  it('registers a key read from a file also as the PEM scanner reads it', () => {
    const escaped = PRIVATE_KEY.replace(/\n/g, String.raw`\n`)
    registerPemSecrets(CERTIFICATE, escaped)
    expect(registered()).toEqual(expect.arrayContaining([escaped, PRIVATE_KEY.trim()]))
  })

  it('registers nothing for a certificate alone', () => {
    registerPemSecrets(CERTIFICATE, undefined)
    expect(setSecret).not.toHaveBeenCalled()
  })
})
