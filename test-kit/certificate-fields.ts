import { Buffer } from 'node:buffer'

/**
 * How Cloudflare describes an uploaded certificate (issuer, serial_number, signature, expires_on),
 * derived for the stand-in straight from the certificate's DER, with a small reader of its own. It
 * shares nothing with src/ nor with node:crypto's formatting, so that the end-to-end tests compare
 * the action against an independent reading. The formats follow Cloudflare's OpenAPI examples, which
 * are those of Go's crypto/x509 (Cloudflare's API is written in Go):
 *   issuer         "O=Example Inc.,L=California,ST=San Francisco,C=US": pkix.Name.String(), last RDN first
 *   serial_number  "235217144297995885180570755458463043449861756659": the INTEGER in decimal
 *   signature      "SHA256WithRSA": the name of Go's x509.SignatureAlgorithm constant
 *   expires_on     "2122-10-29T16:59:47Z": notAfter, to the second
 */

export interface CertificateFields {
  issuer: string
  serialNumber: string
  signature: string
  expiresOn: string
}

interface Node {
  tag: number
  /** The contents, without tag and length. */
  body: Buffer
}

/** One DER element at `offset`: its tag, contents and where the next one starts. */
function readElement(der: Buffer, offset: number): Node & { end: number } {
  const tag = der[offset] ?? -1
  let length = der[offset + 1] ?? 0
  let start = offset + 2
  if (length & 0x80) {
    const octets = length & 0x7f
    length = 0
    for (let i = 0; i < octets; i++) length = length * 256 + (der[start + i] ?? 0)
    start += octets
  }
  const end = start + length
  if (tag < 0 || end > der.length) throw new Error('truncated DER')
  return { tag, body: der.subarray(start, end), end }
}

function children(node: Node): Node[] {
  const list: Node[] = []
  for (let offset = 0; offset < node.body.length;) {
    const child = readElement(node.body, offset)
    list.push(child)
    offset = child.end
  }
  return list
}

function oidText(body: Buffer): string {
  const arcs: number[] = []
  let value = 0
  for (const byte of body) {
    value = value * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      arcs.push(value)
      value = 0
    }
  }
  const first = arcs.shift() ?? 0
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80]
  return [...head, ...arcs].join('.')
}

/** Signature algorithms by OID (RFC 3279, 4055, 5758, 8410): the scheme, and the hash it signs. */
const SIGNATURES: Readonly<Record<string, readonly [scheme: 'RSA' | 'RSAPSS' | 'ECDSA' | 'Ed25519', hash: string]>> = {
  '1.2.840.113549.1.1.4': ['RSA', 'MD5'],
  '1.2.840.113549.1.1.5': ['RSA', 'SHA1'],
  '1.2.840.113549.1.1.11': ['RSA', 'SHA256'],
  '1.2.840.113549.1.1.12': ['RSA', 'SHA384'],
  '1.2.840.113549.1.1.13': ['RSA', 'SHA512'],
  // RSASSA-PSS names its hash in parameters; SHA256 is what Go and Cloudflare call it by default.
  '1.2.840.113549.1.1.10': ['RSAPSS', 'SHA256'],
  '1.2.840.10045.4.1': ['ECDSA', 'SHA1'],
  '1.2.840.10045.4.3.2': ['ECDSA', 'SHA256'],
  '1.2.840.10045.4.3.3': ['ECDSA', 'SHA384'],
  '1.2.840.10045.4.3.4': ['ECDSA', 'SHA512'],
  '1.3.101.112': ['Ed25519', ''],
}

/** The name of Go's x509.SignatureAlgorithm constant: SHA256WithRSA, SHA256WithRSAPSS, ECDSAWithSHA256, PureEd25519. */
function signatureName(oid: string): string {
  const known = SIGNATURES[oid]
  if (!known) return oid
  const [scheme, hash] = known
  if (scheme === 'ECDSA') return `ECDSAWith${hash}`
  if (scheme === 'Ed25519') return 'PureEd25519'
  return `${hash}With${scheme}`
}

/** The attribute names Go's pkix.Name.String() knows; any other type is written as its OID. */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
}

/** RFC 4514 escaping, as Go applies it to attribute values. */
function escapeValue(value: string): string {
  let text = value.replace(/[,+"\\<>;]/g, (character) => `\\${character}`)
  if (text.startsWith(' ') || text.startsWith('#')) text = `\\${text}`
  if (text.endsWith(' ') && text.length > 1) text = `${text.slice(0, -1)}\\ `
  return text
}

/** A directory string (UTF8String, PrintableString, IA5String, …) as text; BMPString is UTF-16BE. */
function stringValue(node: Node): string {
  if (node.tag === 0x1e) return Buffer.from(node.body).swap16().toString('utf16le')
  return node.body.toString(node.tag === 0x0c ? 'utf8' : 'latin1')
}

function nameText(name: Node): string {
  return children(name)
    .reverse()
    .map((rdn) =>
      children(rdn)
        .map((attribute) => {
          const [type, value] = children(attribute)
          if (!type || !value) throw new Error('malformed attribute')
          const oid = oidText(type.body)
          const label = ATTRIBUTE_NAMES[oid]
          if (label) return `${label}=${escapeValue(stringValue(value))}`
          const der = Buffer.concat([Buffer.from([value.tag]), lengthOctets(value.body.length), value.body])
          return `${oid}=#${der.toString('hex')}`
        })
        .join('+'),
    )
    .join(',')
}

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** The INTEGER's two's-complement contents in decimal. */
function integerText(body: Buffer): string {
  let value = 0n
  for (const byte of body) value = value * 256n + BigInt(byte)
  if (body.length > 0 && (body[0] ?? 0) & 0x80) value -= 1n << BigInt(body.length * 8)
  return value.toString(10)
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ), to the second. */
function timeText(node: Node): string {
  const text = node.body.toString('latin1')
  const match = /^(\d{2}|\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text)
  if (!match) throw new Error(`unexpected time '${text}'`)
  const [, year = '', month, day, hour, minute, second] = match
  const fullYear = year.length === 4 ? year : `${Number(year) < 50 ? '20' : '19'}${year}`
  return `${fullYear}-${month}-${day}T${hour}:${minute}:${second}Z`
}

/** The fields of the first certificate in `pem`. */
export function certificateFields(pem: string): CertificateFields {
  const base64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1]
  if (base64 === undefined) throw new Error('no certificate')
  const der = Buffer.from(base64.replace(/\s+/g, ''), 'base64')
  const [tbs, algorithm] = children(readElement(der, 0))
  if (!tbs || !algorithm) throw new Error('malformed certificate')
  const fields = children(tbs)
  // The version is an explicit [0] tag, present from v2 on.
  const [serial, , issuer, validity] = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields
  const notAfter = validity ? children(validity)[1] : undefined
  const algorithmOid = children(algorithm)[0]
  if (!serial || !issuer || !notAfter || !algorithmOid) throw new Error('malformed certificate')
  const oid = oidText(algorithmOid.body)
  return {
    issuer: nameText(issuer),
    serialNumber: integerText(serial.body),
    signature: signatureName(oid),
    expiresOn: timeText(notAfter),
  }
}
