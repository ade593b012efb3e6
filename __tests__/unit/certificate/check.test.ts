import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto'
import { setSecret } from '@actions/core'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { certificateFacts, subjectOf } from '../../../src/certificate/facts.ts'
import { checkCertificate } from '../../../src/certificate/check.ts'
import { InputError } from '../../../src/core/errors.ts'
import type { CertificateSpec } from '../../../src/certificate/spec.ts'
import { PASSPHRASE, pemArmour } from '../../../test-kit/fixtures.ts'
import { legacyEncryptedKey, type LegacyEncryption } from '../../../test-kit/openssl.ts'
import {
  clientChain,
  generateKey,
  issueCertificate,
  keyPem,
  type KeyKind,
  type KeyPair,
} from '../../../test-kit/pki.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

const DAY = 86_400_000

interface SettingsOptions {
  key?: string
  passphrase?: string
  ca?: boolean
  expiryWarningDays?: number
  allowMissingKey?: boolean
}

/** The spec getSettings would build for PEM text given in the certificate and private-key inputs. */
function specFor(certificate: string, options: SettingsOptions = {}): CertificateSpec {
  const spec: CertificateSpec = {
    certificate: { text: certificate, input: 'certificate' },
    ca: options.ca ?? false,
    // Most checks here are about the certificate; a leaf without its key has tests of its own.
    allowMissingKey: options.allowMissingKey ?? true,
    replace: false,
  }
  if (options.key !== undefined) spec.privateKey = { text: options.key, input: 'private-key' }
  if (options.passphrase !== undefined) spec.privateKeyPassphrase = options.passphrase
  return spec
}

const check = (certificate: string, options: SettingsOptions = {}, now = new Date()) =>
  checkCertificate(specFor(certificate, options), { now, expiryWarningDays: options.expiryWarningDays ?? 30 })

/** What checkCertificate throws; fails the test if it returns or throws something else. */
function checkError(certificate: string, options: SettingsOptions = {}, now = new Date()): InputError {
  try {
    check(certificate, options, now)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('checkCertificate accepted the certificate')
}

/** The raw public key of a private key PEM, to compare keys whatever their encoding. */
const publicDer = (privatePem: string, passphrase?: string): Buffer =>
  createPublicKey(createPrivateKey(passphrase === undefined ? privatePem : { key: privatePem, passphrase })).export({
    type: 'spki',
    format: 'der',
  })

const canonical = (...certificates: { x509: X509Certificate }[]): string =>
  certificates.map((c) => c.x509.toString().trim()).join('\n')

describe('finding the leaf', () => {
  it('sends the certificate that matches the key first, with a notice, and keeps the rest in order', () => {
    const { ca, client } = clientChain('ec')
    const intermediate = issueCertificate({
      commonName: 'Intermediate CA',
      key: generateKey('ec'),
      issuer: ca,
      ca: true,
    })
    const checked = check(`${ca.pem}${intermediate.pem}${client.pem}`, { key: keyPem(client.key, 'pkcs8') })

    expect(checked.leaf.fingerprint256).toBe(client.x509.fingerprint256)
    expect(checked.chain.map(subjectOf)).toEqual(['CN=test-client', 'CN=Test Root CA', 'CN=Intermediate CA'])
    expect(checked.notices).toEqual([
      "The certificate matching the private key (CN=test-client) was certificate 3 of 3 in input 'certificate'; it is sent first, as Cloudflare expects the leaf first.",
    ])
  })

  it('adds no notice when the leaf already comes first', () => {
    const { ca, client } = clientChain('ec')
    const checked = check(`${client.pem}${ca.pem}`, { key: keyPem(client.key, 'pkcs8') })
    expect(checked.notices).toEqual([])
    expect(checked.chain.map((c) => c.fingerprint256)).toEqual([client.x509.fingerprint256, ca.x509.fingerprint256])
  })

  it('picks the certificate that is not a CA when there is no key', () => {
    const { ca, client } = clientChain('ec')
    const checked = check(`${ca.pem}\n${client.pem}`)
    expect(checked.leaf.fingerprint256).toBe(client.x509.fingerprint256)
    expect(checked.notices).toEqual([
      "The client (non-CA) certificate (CN=test-client) was certificate 2 of 2 in input 'certificate'; it is sent first, as Cloudflare expects the leaf first.",
    ])
  })

  it('keeps the given order of a CA chain', () => {
    const { ca } = clientChain('ec')
    const intermediate = issueCertificate({
      commonName: 'Intermediate CA',
      key: generateKey('ec'),
      issuer: ca,
      ca: true,
    })
    const checked = check(`${intermediate.pem}${ca.pem}`, { ca: true })
    expect(checked.certificatesPem).toBe(canonical(intermediate, ca))
    expect(checked.notices).toEqual([])
    expect(checked.privateKeyPem).toBeUndefined()
  })

  it('rejects a key that belongs to no certificate, naming every subject', () => {
    const { ca, client } = clientChain('ec')
    const error = checkError(`${client.pem}${ca.pem}`, { key: keyPem(generateKey('ec'), 'pkcs8') })
    expect(error.message).toMatch(
      /^The private key \(input 'private-key'\) does not belong to any certificate in input 'certificate' \(CN=test-client; CN=Test Root CA\)/,
    )
    // A renewal that changed the certificate but not the secret: the message says where to look.
    expect(error.message).toMatch(/the secret may still hold the previous key: update the secret too\.$/)
  })

  it('rejects a CA certificate without a key when ca is false, and a client certificate when ca is true', () => {
    const { ca, client } = clientChain('ec')
    expect(checkError(ca.pem).message).toMatch(/^ca is false, but input 'certificate' holds a CA certificate/)
    expect(checkError(`${ca.pem}${client.pem}`, { ca: true }).message).toMatch(
      /^ca is true, but certificate 2 of 2 in input 'certificate' \(CN=test-client\) is not a CA certificate/,
    )
  })
})

describe('a client certificate without its key', () => {
  // Refused before the checks unless allow-missing-key says so: a rule of certificate/rules.ts.
  it('is checked without a key, the key-certificate match left out', () => {
    const { client } = clientChain('ec')
    expect(check(client.pem, { allowMissingKey: true }).privateKeyPem).toBeUndefined()
  })

  it('keeps its own message for a CA with ca: false and no key', () => {
    const { ca } = clientChain('ec')
    expect(checkError(ca.pem, { allowMissingKey: true }).message).toMatch(/^ca is false, but/)
  })

  it("says nothing of a missing key when the key is only not readable in this run (a fork's pull request)", () => {
    const { ca, client } = clientChain('ec')
    const spec: CertificateSpec = { ...specFor(ca.pem, { allowMissingKey: false }), keyUnavailable: true }
    expect(checkCertificate(spec, { now: new Date(), expiryWarningDays: 30 }).leaf.subject).toMatch(/Test Root CA/)
    expect(check(client.pem, { allowMissingKey: false }).privateKeyPem).toBeUndefined()
  })
})

describe('repeated certificates', () => {
  it('are left out, with one notice naming each repeat', () => {
    const { ca, client } = clientChain('ec')
    const checked = check(`${client.pem}${client.pem}${ca.pem}${ca.pem}`)
    expect(checked.chain.map((c) => c.fingerprint256)).toEqual([client.x509.fingerprint256, ca.x509.fingerprint256])
    expect(checked.notices).toEqual([
      expect.stringMatching(
        /certificate 2 repeats certificate 1 \(CN=test-client\); certificate 4 repeats certificate 3 \(CN=Test Root CA\)/,
      ),
    ])
  })
})

describe('certificatesPem', () => {
  it('is canonical PEM, leaf first, from CRLF text with a BOM and trailing spaces', () => {
    const { ca, client } = clientChain('ec')
    const messy = `\uFEFF${ca.pem}\n${client.pem}`.replace(/\n/g, '  \r\n')
    const checked = check(messy, { key: keyPem(client.key, 'pkcs8', { crlf: true }) })
    expect(checked.certificatesPem).toBe(canonical(client, ca))
    expect(checked.certificatesPem).not.toMatch(/\r| \n/)
    expect(checked.certificatesPem.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true)
    expect(checked.certificatesPem.endsWith('-----END CERTIFICATE-----')).toBe(true)
  })
})

describe('private key', () => {
  const cases: [string, KeyKind, 'pkcs8' | 'pkcs1' | 'sec1', string | undefined][] = [
    ['PKCS#1 RSA', 'rsa', 'pkcs1', undefined],
    ['SEC1 EC', 'ec', 'sec1', undefined],
    ['encrypted PKCS#8', 'ec', 'pkcs8', PASSPHRASE],
    ['encrypted PKCS#1', 'rsa', 'pkcs1', PASSPHRASE],
    ['encrypted SEC1', 'ec', 'sec1', PASSPHRASE],
    ['PKCS#8 Ed25519', 'ed25519', 'pkcs8', undefined],
  ]

  it.each(cases)('exports a %s key as unencrypted PKCS#8', (_, kind, format, passphrase) => {
    const key: KeyPair = generateKey(kind)
    const { client } = clientChain(kind, { key })
    const given = keyPem(key, format, passphrase === undefined ? {} : { passphrase })
    const checked = check(client.pem, passphrase === undefined ? { key: given } : { key: given, passphrase })

    expect(checked.privateKeyPem).toMatch(
      new RegExp(`^${pemArmour('BEGIN', 'PRIVATE KEY')}\\n[\\s\\S]+\\n${pemArmour('END', 'PRIVATE KEY')}\\n$`),
    )
    expect(publicDer(checked.privateKeyPem ?? '')).toEqual(publicDer(given, passphrase))
    expect(checked.warnings).toEqual([])
  })

  it('rejects an encrypted key without a passphrase, and a wrong passphrase', () => {
    const { client } = clientChain('ec')
    const encrypted = keyPem(client.key, 'pkcs8', { passphrase: PASSPHRASE })
    expect(checkError(client.pem, { key: encrypted }).message).toMatch(
      /^Input 'private-key' is encrypted: set private-key-passphrase/,
    )
    expect(checkError(client.pem, { key: encrypted, passphrase: 'wrong' }).message).toMatch(
      /^Input 'private-key' could not be decrypted with private-key-passphrase/,
    )
  })

  it('tries the passphrase as given first, then trimmed', () => {
    const { client } = clientChain('ec')
    const spaced = `  ${PASSPHRASE}  `
    const withSpaces = keyPem(client.key, 'pkcs8', { passphrase: spaced })
    expect(check(client.pem, { key: withSpaces, passphrase: spaced }).leaf.fingerprint256).toBe(
      client.x509.fingerprint256,
    )
    // A secret stored with a final line break: the key was encrypted without it.
    const plain = keyPem(client.key, 'sec1', { passphrase: PASSPHRASE })
    expect(check(client.pem, { key: plain, passphrase: `${PASSPHRASE}\n` }).leaf.fingerprint256).toBe(
      client.x509.fingerprint256,
    )
    expect(checkError(client.pem, { key: withSpaces, passphrase: PASSPHRASE }).message).toMatch(
      /^Input 'private-key' could not be decrypted with private-key-passphrase/,
    )
  })

  const legacyCases: [LegacyEncryption, KeyKind, string][] = [
    ['PKCS#8 PBE-MD5-DES', 'ec', 'a legacy PKCS#8 scheme (such as PBE-MD5-DES)'],
    ['traditional DES-CBC', 'rsa', 'DES-CBC'],
    ['traditional DES-CBC', 'ec', 'DES-CBC'],
  ]
  it.for(legacyCases)(
    'says a key with %s encryption (%s) cannot be decrypted whatever the passphrase, and how to re-encrypt it',
    ([encryption, kind, scheme], { skip }) => {
      const { client } = clientChain(kind)
      const legacy = legacyEncryptedKey(client.key, encryption, PASSPHRASE)
      if (legacy === undefined) return skip('no openssl command with the legacy provider')
      for (const passphrase of [PASSPHRASE, 'not the passphrase']) {
        expect(checkError(client.pem, { key: legacy, passphrase }).message).toBe(
          `Input 'private-key' is encrypted with ${scheme}, which OpenSSL 3 no longer supports: it cannot be decrypted here, whatever the passphrase. Re-encrypt it with AES: openssl pkey -in old.key -aes256 -out new.key (OpenSSL 3 reads the old key with -provider legacy -provider default added), and give the new key instead.`,
        )
      }
    },
  )

  it('warns that a passphrase for an unencrypted key is not used', () => {
    const { client } = clientChain('ec')
    const checked = check(client.pem, { key: keyPem(client.key, 'pkcs8'), passphrase: PASSPHRASE })
    expect(checked.warnings).toEqual([
      "Input 'private-key-passphrase' is set but input 'private-key' is not encrypted: the passphrase is not used.",
    ])
  })

  it.each([
    ['indented, as a YAML block scalar pasted with extra indent', (pem: string) => pem.replace(/^(?=.)/gm, '    ')],
    ['with literal \\n line breaks, as from JSON or a .env file', (pem: string) => pem.replace(/\n/g, String.raw`\n`)],
  ])('accepts a certificate and a key %s', (_, form) => {
    const { ca, client } = clientChain('ec')
    const key = keyPem(client.key, 'sec1', { passphrase: PASSPHRASE })
    const checked = check(form(`${client.pem}${ca.pem}`), { key: form(key), passphrase: PASSPHRASE })
    expect(checked.certificatesPem).toBe(canonical(client, ca))
    expect(publicDer(checked.privateKeyPem ?? '')).toEqual(publicDer(key, PASSPHRASE))
  })

  it('rejects a private key pasted into the certificate input', () => {
    const { client } = clientChain('ec')
    const key = keyPem(client.key, 'pkcs8')
    expect(checkError(`${client.pem}${key}`).message).toMatch(/^Input 'certificate' holds a private key/)
  })
})

describe('facts', () => {
  const notBefore = new Date('2030-01-01T00:00:00Z')
  const notAfter = new Date('2031-05-06T07:08:09Z')

  function issued(kind: KeyKind = 'ec') {
    const ca = issueCertificate({
      commonName: 'Example Issuing CA, G2',
      organization: 'Example, Inc.',
      key: generateKey(kind),
      ca: true,
      notBefore,
      notAfter: new Date('2040-01-01T00:00:00Z'),
    })
    const client = issueCertificate({
      commonName: 'facts-client',
      key: generateKey('ec'),
      issuer: ca,
      serial: 0xdeadbeef01n,
      notBefore,
      notAfter,
    })
    return { ca, client }
  }

  it('gives the serial in decimal, the issuer in RFC 2253 order, and the expiry without milliseconds', () => {
    const { ca, client } = issued()
    const now = new Date(notAfter.getTime() - 10 * DAY)
    const { facts } = check(`${client.pem}${ca.pem}`, {}, now)
    expect(facts).toEqual({
      expiresOn: '2031-05-06T07:08:09Z',
      issuer: 'CN=Example Issuing CA\\, G2,O=Example\\, Inc.',
      serialNumber: '956397711105',
      signature: 'ECDSAWithSHA256',
      fingerprintSha256: client.x509.fingerprint256,
      daysLeft: 10,
    })
    expect(BigInt(facts.serialNumber)).toBe(0xdeadbeef01n)
  })

  it('counts days left as the audit does: a day begun counts as one (rounded up)', () => {
    const { client } = issued()
    const facts = (msBeforeExpiry: number) =>
      certificateFacts(client.x509, new Date(notAfter.getTime() - msBeforeExpiry)).daysLeft
    expect(facts(10 * DAY + 1000)).toBe(11)
    expect(facts(10 * DAY)).toBe(10)
    expect(facts(10 * DAY - 1000)).toBe(10)
    expect(facts(1000)).toBe(1)
    expect(facts(0)).toBe(0)
  })

  it('warns when the certificate expires within expiry-warning-days', () => {
    const { client } = issued()
    const now = new Date(notAfter.getTime() - 28 * DAY - 1000)
    expect(check(client.pem, {}, now).warnings).toEqual([
      'The certificate CN=facts-client expires in 29 days (2031-05-06T07:08:09Z), within expiry-warning-days (30). Plan its rotation.',
    ])
    expect(check(client.pem, { expiryWarningDays: 28 }, now).warnings).toEqual([])
  })

  it('warns with exactly expiry-warning-days left, not with a second more, and says "1 day" in the singular', () => {
    const { client } = issued()
    expect(check(client.pem, {}, new Date(notAfter.getTime() - 30 * DAY)).warnings).toHaveLength(1)
    expect(check(client.pem, {}, new Date(notAfter.getTime() - 30 * DAY - 1000)).warnings).toEqual([])
    const [warning] = check(client.pem, {}, new Date(notAfter.getTime() - DAY + 1000)).warnings
    expect(warning).toContain('expires in 1 day (')
  })

  it('never warns with expiry-warning-days 0', () => {
    const { client } = issued()
    expect(check(client.pem, { expiryWarningDays: 0 }, new Date(notAfter.getTime() - 1000)).warnings).toEqual([])
  })

  it('rejects an expired leaf and a certificate that is not valid yet', () => {
    const { ca, client } = issued()
    expect(checkError(`${client.pem}${ca.pem}`, {}, notAfter).message).toMatch(
      /^The leaf certificate in input 'certificate' \(CN=facts-client\) expired on 2031-05-06T07:08:09Z/,
    )
    expect(checkError(client.pem, {}, new Date(notBefore.getTime() - 1000)).message).toMatch(
      /^The certificate in input 'certificate' \(CN=facts-client\) is not valid until 2030-01-01T00:00:00Z/,
    )
  })
})
