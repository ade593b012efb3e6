import { describe, expect, it } from 'vitest'
import { makeClient } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../test-kit/pki.ts'

/** The test PKI: certificates the tests can tell apart, of the kind they ask for. */

describe('issueCertificate', () => {
  it('makes distinct keys per fixture', () => {
    expect(makeClient('ec').client.x509.fingerprint256).not.toBe(makeClient('ec').client.x509.fingerprint256)
  })

  it('issues a leaf unless asked for a CA, signed by its issuer', () => {
    expect(issueCertificate({ commonName: 'x', key: generateKey('ec') }).x509.ca).toBe(false)
    const ca = issueCertificate({ commonName: 'Test Root CA', key: generateKey('ec'), ca: true })
    const leaf = issueCertificate({ commonName: 'leaf', key: generateKey('ec'), issuer: ca })
    expect(ca.x509.ca).toBe(true)
    expect(leaf.x509.verify(ca.x509.publicKey)).toBe(true)
    expect(leaf.x509.checkIssued(ca.x509)).toBe(true)
  })
})
