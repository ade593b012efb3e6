import { describe, expect, it } from 'vitest'
import {
  certificateFacts,
  certificatesIn,
  daysLeft,
  decimalSerial,
  isoSeconds,
  leafCertificate,
  leafFingerprint,
  parseX509,
  signatureAlgorithm,
  subjectOf,
} from '../../../src/certificate/facts.ts'
import { clientChain, generateKey, issueCertificate, keyPem } from '../../../test-kit/pki.ts'

const DAY = 86_400_000

describe('certificateFacts', () => {
  it("describes a certificate in Cloudflare's formats", () => {
    const notAfter = new Date('2031-05-06T07:08:09Z')
    const ca = issueCertificate({
      commonName: 'Facts CA',
      organization: 'Example, Inc.',
      key: generateKey('rsa'),
      ca: true,
    })
    const client = issueCertificate({
      commonName: 'facts-client',
      key: generateKey('ec'),
      issuer: ca,
      serial: 4660n,
      notAfter,
    })
    expect(certificateFacts(client.x509, new Date(notAfter.getTime() - 3 * DAY))).toEqual({
      expiresOn: '2031-05-06T07:08:09Z',
      issuer: 'CN=Facts CA,O=Example\\, Inc.',
      serialNumber: '4660',
      signature: 'SHA256WithRSA',
      fingerprintSha256: client.x509.fingerprint256,
      daysLeft: 3,
    })
  })
})

describe('daysLeft', () => {
  it('counts a day begun as one, and the whole days since once expired', () => {
    const end = new Date('2030-01-10T00:00:00Z')
    expect(daysLeft(end, new Date('2030-01-09T23:59:59Z'))).toBe(1)
    expect(daysLeft(end, new Date('2030-01-09T00:00:00Z'))).toBe(1)
    expect(daysLeft(end, new Date('2030-01-08T23:59:59Z'))).toBe(2)
    expect(daysLeft(end, end)).toBe(0)
    expect(daysLeft(end, new Date('2030-01-10T00:00:01Z'))).toBe(0)
    expect(daysLeft(end, new Date('2030-01-12T00:00:00Z'))).toBe(-2)
  })
})

describe('isoSeconds', () => {
  it('gives the time without milliseconds', () => {
    expect(isoSeconds(new Date('2031-05-06T07:08:09.999Z'))).toBe('2031-05-06T07:08:09Z')
    expect(isoSeconds(new Date('2031-05-06T07:08:09Z'))).toBe('2031-05-06T07:08:09Z')
  })
})

describe('subjectOf', () => {
  it('names a certificate by its common name', () => {
    const client = issueCertificate({ commonName: 'named', organization: 'Org', key: generateKey('ec') })
    expect(subjectOf(client.x509)).toBe('CN=named')
  })

  it('falls back to the whole subject, then to the serial', () => {
    const { client } = clientChain('ec')
    const withSubject = (subject: string) =>
      Object.create(client.x509, { subject: { value: subject } }) as typeof client.x509
    expect(subjectOf(withSubject('O=Org\nOU=Team'))).toBe('O=Org, OU=Team')
    expect(subjectOf(withSubject(''))).toBe(`serial ${client.x509.serialNumber}`)
  })
})

describe('parseX509, certificatesIn and leafCertificate', () => {
  it('read the certificate blocks that parse, in order, and skip the rest', () => {
    const { ca, client } = clientChain('ec')
    const corrupted = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
    expect(parseX509(client.pem)?.fingerprint256).toBe(client.x509.fingerprint256)
    expect(parseX509(corrupted)).toBeUndefined()
    const text = `${keyPem(client.key, 'pkcs8')}${client.pem}${corrupted}${ca.pem}`
    expect(certificatesIn(text).map((certificate) => certificate.fingerprint256)).toEqual([
      client.x509.fingerprint256,
      ca.x509.fingerprint256,
    ])
    expect(leafCertificate(text)?.fingerprint256).toBe(client.x509.fingerprint256)
    expect(leafCertificate(`${corrupted}${client.pem}`)).toBeUndefined()
    expect(leafCertificate('no pem here')).toBeUndefined()
  })
})

describe('signatureAlgorithm', () => {
  it.each([
    ['rsa', 'SHA256WithRSA'],
    ['ec', 'ECDSAWithSHA256'],
    ['ed25519', 'PureEd25519'],
  ] as const)('names the signature of a certificate signed by an %s issuer: %s', (kind, expected) => {
    const { client } = clientChain(kind)
    expect(signatureAlgorithm(client.x509)).toBe(expected)
  })

  it('reads the signer, not the subject key', () => {
    const ca = issueCertificate({ commonName: 'RSA CA', key: generateKey('rsa'), ca: true })
    const client = issueCertificate({ commonName: 'ed client', key: generateKey('ed25519'), issuer: ca })
    expect(signatureAlgorithm(client.x509)).toBe('SHA256WithRSA')
  })

  it('gives the OID itself for an algorithm without a Cloudflare name', () => {
    const { client } = clientChain('ec')
    const unnamed = Object.create(client.x509, { signatureAlgorithmOid: { value: '1.2.3.4' } }) as typeof client.x509
    expect(signatureAlgorithm(unnamed)).toBe('1.2.3.4')
  })
})

describe('leafFingerprint', () => {
  it('gives the SHA-256 fingerprint of the first certificate in the text', () => {
    const { ca, client } = clientChain('ec')
    expect(leafFingerprint(`${client.pem}${ca.pem}`)).toBe(client.x509.fingerprint256)
    expect(leafFingerprint(`${ca.pem}${client.pem}`)).toBe(ca.x509.fingerprint256)
    expect(leafFingerprint(client.pem.replace(/\n/g, '\r\n'))).toBe(client.x509.fingerprint256)
  })

  it('skips a leading non-certificate block', () => {
    const { client } = clientChain('ec')
    expect(leafFingerprint(`${keyPem(client.key, 'pkcs8')}${client.pem}`)).toBe(client.x509.fingerprint256)
  })

  it('gives undefined for text without a certificate, or a corrupted one', () => {
    expect(leafFingerprint('')).toBeUndefined()
    expect(leafFingerprint('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toBeUndefined()
  })
})

describe('decimalSerial', () => {
  it.each([
    ['01', '1'],
    ['FF', '255'],
    ['8000000000000000', '9223372036854775808'],
    ['-04D2', '-1234'],
  ])('reads %s as %s', (hex, decimal) => {
    expect(decimalSerial(hex)).toBe(decimal)
  })

  it('gives back what is not hex unchanged, rather than throwing', () => {
    expect(decimalSerial('zz')).toBe('zz')
  })
})
