import { describe, expect, it } from 'vitest'
import { isCertificateLabel, isPrivateKeyLabel, isPublicKeyLabel, normalisePem, scanPem } from '../../src/pem.ts'
import { pemArmour } from '../support/fixtures.ts'

const block = (label: string, ...body: string[]): string =>
  [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n')

const CERT_A = block('CERTIFICATE', 'MIIBaaaa', 'bbbb==')
const CERT_B = block('CERTIFICATE', 'MIIBcccc')
const KEY = block('EC PRIVATE KEY', 'MHcCAQEE')

describe('normalisePem', () => {
  it('turns CRLF and lone CR into LF', () => {
    expect(normalisePem('a\r\nb\rc\n')).toBe('a\nb\nc')
  })

  it('drops a leading byte-order mark', () => {
    expect(normalisePem(`\uFEFF${CERT_A}`)).toBe(CERT_A)
  })

  it('drops trailing spaces and tabs on every line, and blank lines around the text', () => {
    expect(normalisePem('\n\n  a  \t\nb \n\n')).toBe('a\nb')
  })

  it('keeps leading indentation inside the text', () => {
    expect(normalisePem('a\n  b')).toBe('a\n  b')
  })
})

describe('scanPem', () => {
  it('finds one block and gives its normalised text', () => {
    const scan = scanPem(`\uFEFF${CERT_A.replace(/\n/g, ' \r\n')}\r\n`)
    expect(scan).toEqual({ blocks: [{ label: 'CERTIFICATE', text: CERT_A }] })
  })

  it('finds several blocks of different labels in order, ignoring text around them', () => {
    const scan = scanPem(`subject=CN=client\n${CERT_A}\n\nissuer info\n${CERT_B}\n${KEY}\n`)
    expect(scan.truncatedLabel).toBeUndefined()
    expect(scan.blocks).toEqual([
      { label: 'CERTIFICATE', text: CERT_A },
      { label: 'CERTIFICATE', text: CERT_B },
      { label: 'EC PRIVATE KEY', text: KEY },
    ])
  })

  it('reports a block whose END line is missing', () => {
    const scan = scanPem(`${CERT_A}\n-----BEGIN CERTIFICATE-----\nMIIBdddd\n`)
    expect(scan.blocks).toEqual([{ label: 'CERTIFICATE', text: CERT_A }])
    expect(scan.truncatedLabel).toBe('CERTIFICATE')
  })

  it('reports a cut-off block that is followed by a whole one', () => {
    const scan = scanPem(`${pemArmour('BEGIN', 'PRIVATE KEY')}\nMIGH\n${CERT_B}`)
    expect(scan.truncatedLabel).toBe('PRIVATE KEY')
    expect(scan.blocks.map((b) => b.label)).toEqual(['CERTIFICATE'])
  })

  it('reports a cut-off block that is followed by one of the same label', () => {
    const scan = scanPem(`-----BEGIN CERTIFICATE-----\nMIIBcut\n${CERT_B}`)
    expect(scan.truncatedLabel).toBe('CERTIFICATE')
  })

  it('does not pair an END with a BEGIN of another label', () => {
    const scan = scanPem('-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----')
    expect(scan).toEqual({ blocks: [], truncatedLabel: 'CERTIFICATE' })
  })

  it('finds nothing in text without PEM armour', () => {
    expect(scanPem('MIIBaaaa\nbbbb')).toEqual({ blocks: [] })
    expect(scanPem('')).toEqual({ blocks: [] })
  })
})

describe('labels', () => {
  it.each([
    ['CERTIFICATE', 'certificate'],
    ['X509 CERTIFICATE', 'certificate'],
    ['TRUSTED CERTIFICATE', 'certificate'],
    ['CERTIFICATE REQUEST', 'other'],
    ['PRIVATE KEY', 'private'],
    ['RSA PRIVATE KEY', 'private'],
    ['ENCRYPTED PRIVATE KEY', 'private'],
    ['EC PRIVATE KEY', 'private'],
    ['PUBLIC KEY', 'public'],
    ['RSA PUBLIC KEY', 'public'],
    ['EC PARAMETERS', 'other'],
  ])('%s is a %s label', (label, kind) => {
    expect({
      certificate: isCertificateLabel(label),
      private: isPrivateKeyLabel(label),
      public: isPublicKeyLabel(label),
    }).toEqual({ certificate: kind === 'certificate', private: kind === 'private', public: kind === 'public' })
  })
})
