import { setSecret } from '@actions/core'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { registerSecret, secretForms } from '../../../src/action/secrets.ts'
import { PASSPHRASE, pemArmour } from '../../../test-kit/fixtures.ts'
import { generateKey, keyPem } from '../../../test-kit/pki.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

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
