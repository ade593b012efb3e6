import { describe, expect, it } from 'vitest'
import { registeredSecrets } from '../../../src/action/secrets.ts'
import { checkAndMask } from '../../../src/spec/check.ts'
import type { CertificateSpec } from '../../../src/certificate/spec.ts'
import { PASSPHRASE } from '../../../test-kit/fixtures.ts'
import { clientChain, keyPem } from '../../../test-kit/pki.ts'

const spec = (certificate: string, privateKey?: string, passphrase?: string): CertificateSpec => ({
  certificate: { text: certificate, input: 'certificate' },
  ...(privateKey ? { privateKey: { text: privateKey, input: 'private-key' } } : {}),
  ...(passphrase ? { privateKeyPassphrase: passphrase } : {}),
  ca: false,
  allowMissingKey: !privateKey,
  replace: false,
})

const context = { now: new Date(), expiryWarningDays: 30 }

describe('checkAndMask', () => {
  it('registers the decrypted key it makes as a secret, before giving it back', () => {
    const { client } = clientChain('ec')
    const encrypted = keyPem(client.key, 'pkcs8', { passphrase: PASSPHRASE })
    const checked = checkAndMask(spec(client.pem, encrypted, PASSPHRASE), context)
    const header = ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ')
    expect(checked.privateKeyPem?.startsWith(`${header}\n`)).toBe(true)
    expect(checked.privateKeyPem).not.toBe(encrypted)
    expect(registeredSecrets().has(checked.privateKeyPem?.trim() ?? '')).toBe(true)
    expect(checked.leaf.fingerprint256).toBe(client.x509.fingerprint256)
  })

  it('registers nothing for a certificate without its key', () => {
    const { client } = clientChain('ec')
    const before = registeredSecrets().size
    const checked = checkAndMask(spec(client.pem), context)
    expect(checked.privateKeyPem).toBeUndefined()
    expect(registeredSecrets().size).toBe(before)
  })

  it('throws the check’s InputError for a certificate that does not pass', () => {
    expect(() => checkAndMask(spec('not a certificate'), context)).toThrow(/input 'certificate'/i)
  })
})
