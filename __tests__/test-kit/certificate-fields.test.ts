import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { certificateFields } from '../../test-kit/certificate-fields.ts'
import { generateKey, issueCertificate, type KeyKind } from '../../test-kit/pki.ts'

/** The stand-in's description of a certificate, checked against Cloudflare's examples and against openssl. */

const spec = JSON.parse(
  readFileSync(new URL('../../test-kit/cloudflare-mtls-openapi.json', import.meta.url), 'utf8'),
) as {
  components: { schemas: Record<string, { example?: unknown }> }
}
const example = (schema: string): unknown =>
  spec.components.schemas[`tls-certificates-and-hostnames_${schema}`]?.example

const openssl = (pem: string, ...args: string[]): string | undefined => {
  try {
    return execFileSync('openssl', ['x509', '-noout', ...args], { input: pem, encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

describe('certificateFields', () => {
  it("describes the OpenAPI's example certificate as Cloudflare's example answer does", () => {
    expect(certificateFields(String(example('certificates-2')))).toEqual({
      issuer: example('issuer-2'),
      serialNumber: example('serial_number-2'),
      signature: example('signature'),
      expiresOn: example('expires_on-2'),
    })
  })

  it.each([
    ['ec', 'ECDSAWithSHA256'],
    ['rsa', 'SHA256WithRSA'],
    ['ed25519', 'PureEd25519'],
  ] as [KeyKind, string][])('agrees with openssl on a certificate signed by an %s key', (kind, signature) => {
    const ca = issueCertificate({
      commonName: 'Umlaut Ä, "Root" CA',
      organization: 'Acme+Co',
      key: generateKey(kind),
      ca: true,
    })
    const leaf = issueCertificate({
      commonName: 'client',
      key: generateKey('ec'),
      issuer: ca,
      serial: 0xfedcba9876543210n,
      notAfter: new Date('2051-03-04T05:06:07.890Z'),
    })
    const fields = certificateFields(leaf.pem)
    expect(fields).toEqual({
      issuer: 'CN=Umlaut Ä\\, \\"Root\\" CA,O=Acme\\+Co',
      serialNumber: '18364758544493064720',
      signature,
      expiresOn: '2051-03-04T05:06:07Z',
    })
    const serial = openssl(leaf.pem, '-serial')
    if (serial) expect(BigInt(`0x${serial.replace('serial=', '')}`).toString()).toBe(fields.serialNumber)
    const issuer = openssl(leaf.pem, '-issuer', '-nameopt', 'RFC2253,-esc_msb')
    if (issuer) expect(issuer.replace('issuer=', '')).toBe(fields.issuer)
  })
})
