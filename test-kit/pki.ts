/**
 * A tiny X.509 certificate factory for tests: node:crypto for keys and signatures, a minimal DER encoder for
 * the certificate structure. No openssl binary and no fixtures on disk, so every test gets fresh certificates
 * with exactly the dates, names and key types it asks for.
 */
import {
  X509Certificate,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto'

export type KeyKind = 'rsa' | 'ec' | 'ed25519'

export interface KeyPair {
  privateKey: KeyObject
  publicKey: KeyObject
  kind: KeyKind
}

export interface CertificateOptions {
  commonName: string
  /** The subject's key. */
  key: KeyPair
  /** The signer; omitted means self-signed by `key`. */
  issuer?: IssuedCertificate
  /** A CA (basicConstraints CA:TRUE, keyCertSign|cRLSign) rather than a client certificate. */
  ca?: boolean
  /**
   * Default: an hour ago, rounded down to the minute, so that certificates made one after the other
   * in a test are issued at the same time: one made a moment later must not count as issued later
   * (replace keeps a certificate issued after the new one).
   */
  notBefore?: Date
  /** Default: 90 days from now. */
  notAfter?: Date
  /** Default: a random positive 64-bit number. */
  serial?: bigint
  /** An O= attribute in the subject, before the CN. */
  organization?: string
  /** A TLS server certificate for this DNS name (subjectAltName, serverAuth) instead of a client one. */
  serverName?: string
}

export interface IssuedCertificate {
  pem: string
  der: Buffer
  key: KeyPair
  commonName: string
  /** The encoded subject Name: the issuer Name of the certificates this one signs. */
  subjectDer: Buffer
  x509: X509Certificate
}

export function generateKey(kind: KeyKind = 'ec'): KeyPair {
  switch (kind) {
    case 'rsa':
      return { ...generateKeyPairSync('rsa', { modulusLength: 2048 }), kind }
    case 'ec':
      return { ...generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), kind }
    case 'ed25519':
      return { ...generateKeyPairSync('ed25519'), kind }
  }
}

// --- DER: just the universal types a certificate needs ---

function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents)
  let length = Buffer.from([body.length])
  if (body.length >= 0x80) {
    // Long form: 0x80 | count, then the length big-endian in as few bytes as it takes.
    const digits = body.length.toString(16)
    const bytes = Buffer.from(digits.padStart(digits.length + (digits.length % 2), '0'), 'hex')
    length = Buffer.concat([Buffer.from([0x80 | bytes.length]), bytes])
  }
  return Buffer.concat([Buffer.from([tag]), length, body])
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items)
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items)
const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes)
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
const bitString = (bytes: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.from([unusedBits]), bytes)
const TRUE = tlv(0x01, Buffer.from([0xff]))
const NULL = tlv(0x05)

function integer(value: bigint): Buffer {
  if (value < 0n) throw new RangeError(`only non-negative integers are supported, not ${value}`)
  const digits = value.toString(16)
  const bytes = Buffer.from(digits.padStart(digits.length + (digits.length % 2), '0'), 'hex')
  // Two's complement: a set high bit would read as negative, so it takes a leading zero byte.
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes)
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [first * 40 + second]
  for (const arc of rest) {
    // Base 128, most significant group first, every byte but the last flagged with 0x80.
    const groups = [arc & 0x7f]
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n & 0x7f) | 0x80)
    bytes.push(...groups)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** A named-bit BIT STRING of one byte: DER drops trailing zero bits and counts them as unused. */
function namedBits(byte: number): Buffer {
  let unused = 0
  while (unused < 7 && !(byte & (1 << unused))) unused++
  return bitString(Buffer.from([byte]), unused)
}

/** UTCTime for 1950–2049 and GeneralizedTime otherwise, as RFC 5280 requires; whole seconds, always Z. */
function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/\.\d+/, '').replace(/[-:T]/g, '')
  const year = date.getUTCFullYear()
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2))) : tlv(0x18, Buffer.from(digits))
}

// --- Certificates ---

const SIGNATURE_ALGORITHMS: Record<KeyKind, Buffer> = {
  rsa: sequence(oid('1.2.840.113549.1.1.11'), NULL), // sha256WithRSAEncryption
  ec: sequence(oid('1.2.840.10045.4.3.2')), // ecdsa-with-SHA256
  ed25519: sequence(oid('1.3.101.112')), // Ed25519
}

const spki = (key: KeyPair): Buffer => createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' })

/** SHA-1 of the whole SubjectPublicKeyInfo: not RFC 5280's method 1, but as unique, and it only has to match. */
const keyIdentifier = (key: KeyPair): Buffer => createHash('sha1').update(spki(key)).digest()

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), TRUE, octetString(value)) : sequence(oid(id), octetString(value))
}

function name(options: CertificateOptions): Buffer {
  const attributes: [string, string][] = [['2.5.4.3', options.commonName]]
  if (options.organization !== undefined) attributes.unshift(['2.5.4.10', options.organization])
  return sequence(...attributes.map(([type, value]) => set(sequence(oid(type), utf8String(value)))))
}

export function issueCertificate(options: CertificateOptions): IssuedCertificate {
  const now = Date.now()
  const notBefore = options.notBefore ?? new Date(Math.floor((now - 3_600_000) / 60_000) * 60_000)
  const notAfter = options.notAfter ?? new Date(now + 90 * 86_400_000)
  const subjectDer = name(options)
  const signer = options.issuer?.key ?? options.key
  const extensions = [
    // basicConstraints: cA defaults to FALSE, and DER leaves defaults out.
    extension('2.5.29.19', true, options.ca ? sequence(TRUE) : sequence()),
    // keyUsage bits: digitalSignature = 0x80, keyCertSign = 0x04, cRLSign = 0x02.
    extension('2.5.29.15', true, namedBits(options.ca ? 0x06 : 0x80)),
    // extKeyUsage: serverAuth (…3.1) for a server, clientAuth (…3.2) for a client.
    ...(options.ca
      ? []
      : [extension('2.5.29.37', false, sequence(oid(`1.3.6.1.5.5.7.3.${options.serverName ? 1 : 2}`)))]),
    // subjectAltName dNSName [2]: what TLS clients match the host name against.
    ...(options.serverName
      ? [extension('2.5.29.17', false, sequence(tlv(0x82, Buffer.from(options.serverName))))]
      : []),
    extension('2.5.29.14', false, octetString(keyIdentifier(options.key))),
    // authorityKeyIdentifier [0] keyIdentifier: helps chain building when several CAs share a name.
    extension('2.5.29.35', false, sequence(tlv(0x80, keyIdentifier(signer)))),
  ]
  const tbs = sequence(
    tlv(0xa0, integer(2n)), // v3
    integer(options.serial ?? (BigInt(`0x${randomBytes(8).toString('hex')}`) || 1n)),
    SIGNATURE_ALGORITHMS[signer.kind],
    options.issuer?.subjectDer ?? subjectDer,
    sequence(time(notBefore), time(notAfter)),
    subjectDer,
    spki(options.key),
    tlv(0xa3, sequence(...extensions)),
  )
  // Ed25519 hashes internally, so it takes no digest; ECDSA signatures come out DER-encoded, as X.509 wants.
  const signature = sign(signer.kind === 'ed25519' ? null : 'sha256', tbs, signer.privateKey)
  const der = sequence(tbs, SIGNATURE_ALGORITHMS[signer.kind], bitString(signature))
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  const pem = `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
  return { pem, der, key: options.key, commonName: options.commonName, subjectDer, x509: new X509Certificate(der) }
}

/** Key PEM in a given encoding. */
export function keyPem(
  key: KeyPair,
  format: 'pkcs8' | 'pkcs1' | 'sec1',
  options: { passphrase?: string; crlf?: boolean } = {},
): string {
  if (format === 'pkcs1' && key.kind !== 'rsa') throw new Error(`pkcs1 holds only rsa keys, not ${key.kind}`)
  if (format === 'sec1' && key.kind !== 'ec') throw new Error(`sec1 holds only ec keys, not ${key.kind}`)
  // With a passphrase, pkcs8 gives ENCRYPTED PRIVATE KEY; pkcs1 and sec1 give the traditional Proc-Type/DEK-Info form.
  const encryption = options.passphrase === undefined ? {} : { cipher: 'aes-256-cbc', passphrase: options.passphrase }
  const pem = key.privateKey.export({ type: format, format: 'pem', ...encryption }).toString()
  return options.crlf ? pem.replace(/\r?\n/g, '\r\n') : pem
}

/** A ready set: a root CA, and a client certificate it issued, with the client's key. */
export function clientChain(
  kind: KeyKind = 'ec',
  overrides: Partial<CertificateOptions> = {},
): { ca: IssuedCertificate; client: IssuedCertificate } {
  const ca = issueCertificate({ commonName: 'Test Root CA', key: generateKey(kind), ca: true })
  const client = issueCertificate({
    commonName: 'test-client',
    issuer: ca,
    ...overrides,
    key: overrides.key ?? generateKey(kind),
  })
  return { ca, client }
}
