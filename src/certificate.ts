import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { InputError } from './errors.ts'
import { capitalise } from './text.ts'
import { isCertificateLabel, isPrivateKeyLabel, isPublicKeyLabel, looksLikePkcs12, scanPem } from './pem.ts'
import { registerSecret } from './secrets.ts'
import type { PemInput, Settings } from './settings.ts'

const DAY_MS = 86_400_000

/** A certificate that passed every local check, in the form Cloudflare is sent. */
export interface CheckedCertificate {
  /** The certificate that matches the key (or the first one): what Cloudflare lists it by. */
  leaf: X509Certificate
  /** Leaf first, then the rest of the chain in the order given. */
  chain: X509Certificate[]
  /** The chain as canonical PEM, leaf first: the `certificates` field of the upload. */
  certificatesPem: string
  /** Unencrypted PKCS#8 PEM of the leaf's key, registered as a secret. */
  privateKeyPem?: string
  /** Facts about the leaf in Cloudflare's formats, for outputs before or without an upload. */
  facts: CertificateFacts
  notices: string[]
  warnings: string[]
}

export interface CertificateFacts {
  expiresOn: string
  issuer: string
  serialNumber: string
  signature: string
  fingerprintSha256: string
  daysLeft: number
}

export function checkCertificate(settings: Settings, now: Date): CheckedCertificate {
  const notices: string[] = []
  const warnings: string[] = []
  const certificateInput = describeInput(settings.certificate)
  const certificates = withoutRepeats(parseCertificates(settings.certificate), certificateInput, notices)
  const key = settings.privateKey
    ? parsePrivateKey(settings.privateKey, settings.privateKeyPassphrase, warnings)
    : undefined
  if (!settings.privateKey && settings.privateKeyPassphrase) {
    warnings.push("Input 'private-key-passphrase' is set but no private key is given: the passphrase is not used.")
  }

  const leafIndex = findLeaf(certificates, key, settings)
  const leaf = certificates[leafIndex] as X509Certificate
  const chain = [leaf, ...certificates.filter((_, index) => index !== leafIndex)]
  if (leafIndex !== 0) {
    notices.push(
      `The ${key ? 'certificate matching the private key' : 'client (non-CA) certificate'} (${subjectOf(leaf)}) was certificate ${leafIndex + 1} of ${certificates.length} in ${certificateInput}; it is sent first, as Cloudflare expects the leaf first.`,
    )
  }

  if (settings.ca) {
    chain.forEach((certificate, index) => {
      if (!certificate.ca) {
        throw new InputError(
          `ca is true, but ${position(index, chain.length)} in ${certificateInput} (${subjectOf(certificate)}) is not a CA certificate (its basic constraints lack CA:TRUE). For a client certificate set ca: false and give its key in private-key; for mTLS client verification upload the CA that issued it.`,
        )
      }
    })
  } else if (leaf.ca && !key) {
    throw new InputError(
      `ca is false, but ${certificateInput} holds a CA certificate (${subjectOf(leaf)}) and no private key is given. Set ca: true to upload it as a CA for client-certificate verification, or give the client certificate and its key in private-key.`,
    )
  } else if (!key && !settings.allowMissingKey) {
    throw new InputError(MISSING_KEY)
  }

  chain.forEach((certificate, index) => {
    checkValidity(certificate, position(index, chain.length), certificateInput, now)
  })

  const facts = certificateFacts(leaf, now)
  if (facts.daysLeft < settings.expiryWarningDays) {
    warnings.push(
      `The certificate ${subjectOf(leaf)} expires in ${facts.daysLeft} day${facts.daysLeft === 1 ? '' : 's'} (${facts.expiresOn}), within expiry-warning-days (${settings.expiryWarningDays}). Plan its rotation.`,
    )
  }

  const checked: CheckedCertificate = {
    leaf,
    chain,
    certificatesPem: chain.map((certificate) => certificate.toString().trim()).join('\n'),
    facts,
    notices,
    warnings,
  }
  if (key) {
    checked.privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString()
    registerSecret(checked.privateKeyPem)
  }
  return checked
}

/**
 * An unset or misspelled secret expands to an empty string, so a missing key is most often a mistake:
 * the certificate would go without it (Workers mTLS bindings need it), and replace would then delete
 * the older one that had its key.
 */
const MISSING_KEY =
  "Input 'private-key' is empty, and ca: false uploads a client certificate, which is used with its key (Workers mTLS bindings need it). Likely causes: the secret in private-key: ${{ secrets.… }} is not set, or its name is misspelled (an unknown secret reads as empty); or the run comes from a fork, to which secrets are not passed. Set the secret, or give the key in private-key-path. To upload this certificate without its key on purpose, set allow-missing-key: true."

/** The chain with each certificate once: a file that repeats one (leaf, leaf, CA) is uploaded without the repeat. */
function withoutRepeats(certificates: X509Certificate[], where: string, notices: string[]): X509Certificate[] {
  const seen = new Map<string, number>()
  const repeats: string[] = []
  const unique = certificates.filter((certificate, index) => {
    const first = seen.get(certificate.fingerprint256)
    if (first === undefined) seen.set(certificate.fingerprint256, index)
    else repeats.push(`certificate ${index + 1} repeats certificate ${first + 1} (${subjectOf(certificate)})`)
    return first === undefined
  })
  if (repeats.length > 0) {
    notices.push(
      `${capitalise(where)} holds the same certificate more than once: ${repeats.join('; ')}. Each repeat is left out of the upload.`,
    )
  }
  return unique
}

/** What to do with a PKCS#12 file: the openssl commands that take the certificate and the key out of it. */
function pkcs12Advice(input: PemInput): string {
  const file = input.path ?? 'client.p12'
  return `is a PKCS#12 file (.p12/.pfx), not PEM: take the certificate out with openssl pkcs12 -in ${file} -clcerts -nokeys -out client.pem and the key with openssl pkcs12 -in ${file} -nocerts -nodes -out client.key (add -legacy for a file made by older tools), then give client.pem in certificate-path and the key in private-key`
}

function describeInput(input: PemInput): string {
  return input.path ? `${input.input} '${input.path}'` : `input '${input.input}'`
}

const position = (index: number, count: number): string =>
  count === 1 ? 'the certificate' : index === 0 ? 'the leaf certificate' : `certificate ${index + 1} of ${count}`

export function subjectOf(certificate: X509Certificate): string {
  const parts = certificate.subject.split('\n').filter(Boolean)
  const commonName = parts.find((part) => part.startsWith('CN='))
  return commonName ?? (parts.length > 0 ? parts.join(', ') : `serial ${certificate.serialNumber}`)
}

function parseCertificates(input: PemInput): X509Certificate[] {
  const where = describeInput(input)
  if (!input.text.trim()) {
    throw new InputError(
      `${capitalise(where)} is empty: it must hold the PEM certificate (-----BEGIN CERTIFICATE-----).`,
    )
  }
  const scan = scanPem(input.text)
  // A key pasted with the certificate is a secret: mask it before any message can mention it.
  for (const block of scan.blocks) if (isPrivateKeyLabel(block.label)) registerSecret(block.text)
  if (scan.truncatedLabel && isPrivateKeyLabel(scan.truncatedLabel)) registerSecret(input.text)

  if (
    scan.blocks.some((block) => isPrivateKeyLabel(block.label)) ||
    (scan.truncatedLabel && isPrivateKeyLabel(scan.truncatedLabel))
  ) {
    throw new InputError(
      `${capitalise(where)} holds a private key as well as the certificate. Keep only the certificate chain there, and pass the key through private-key: \${{ secrets.CLIENT_KEY }} (it is masked and never written to disk). Consider the key exposed if this file is committed.`,
    )
  }
  const certificateBlocks = scan.blocks.filter((block) => isCertificateLabel(block.label))
  if (scan.truncatedLabel) {
    throw new InputError(
      `${capitalise(where)} is cut off: a -----BEGIN ${scan.truncatedLabel}----- line has no matching -----END ${scan.truncatedLabel}----- line. Copy the whole PEM text.`,
    )
  }
  if (certificateBlocks.length === 0) {
    const labels = scan.blocks.map((block) => block.label)
    if (labels.some(isPublicKeyLabel)) {
      throw new InputError(
        `${capitalise(where)} holds a public key, not a certificate: give the PEM certificate (-----BEGIN CERTIFICATE-----) issued for that key.`,
      )
    }
    if (labels.some((label) => label.includes('CERTIFICATE REQUEST'))) {
      throw new InputError(
        `${capitalise(where)} holds a certificate signing request, not a certificate: give the certificate your CA issued for it.`,
      )
    }
    if (looksLikePkcs12(input.text, input.path)) throw new InputError(`${capitalise(where)} ${pkcs12Advice(input)}.`)
    throw new InputError(
      `${capitalise(where)} holds no PEM certificate${looksBinary(input.text) ? ' (it looks binary: a DER file? Convert it with openssl x509 -inform der -in cert.der -out cert.pem)' : ''}: expected text between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines.`,
    )
  }
  return certificateBlocks.map((block, index) => {
    try {
      return new X509Certificate(block.text)
    } catch {
      throw new InputError(
        `${capitalise(where)}: ${certificateBlocks.length === 1 ? 'the certificate' : `certificate ${index + 1} of ${certificateBlocks.length}`} is not a valid X.509 certificate (its base64 body is corrupted or truncated). Export the certificate again.`,
      )
    }
  })
}

function looksBinary(text: string): boolean {
  return /(?![\t\n\r])\p{Cc}|\ufffd/u.test(text.slice(0, 512))
}

function parsePrivateKey(input: PemInput, passphrase: string | undefined, warnings: string[]): KeyObject {
  const where = describeInput(input)
  const scan = scanPem(input.text)
  const keyBlocks = scan.blocks.filter((block) => isPrivateKeyLabel(block.label))
  if (keyBlocks.length === 0) {
    const labels = scan.blocks.map((block) => block.label)
    const what = looksLikePkcs12(input.text, input.path)
      ? pkcs12Advice(input)
      : scan.truncatedLabel
        ? `is cut off (a -----BEGIN ${scan.truncatedLabel}----- line has no END line); copy the whole key`
        : labels.some(isCertificateLabel)
          ? 'holds a certificate, not a private key; give the key that belongs to the certificate'
          : labels.some(isPublicKeyLabel)
            ? 'holds a public key; give the private key that belongs to the certificate'
            : "is not a PEM private key (expected a 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' block)"
    throw new InputError(`${capitalise(where)} ${what}.`)
  }
  if (keyBlocks.length > 1) {
    throw new InputError(
      `${capitalise(where)} holds ${keyBlocks.length} private keys: give only the key of the client certificate.`,
    )
  }
  const block = keyBlocks[0]?.text ?? ''
  const encrypted = block.includes('ENCRYPTED')
  if (encrypted && !passphrase) {
    throw new InputError(
      `${capitalise(where)} is encrypted: set private-key-passphrase: \${{ secrets.CLIENT_KEY_PASSPHRASE }} so it can be decrypted here (it is sent to Cloudflare unencrypted, over TLS).`,
    )
  }
  if (!encrypted && passphrase) {
    warnings.push(`Input 'private-key-passphrase' is set but ${where} is not encrypted: the passphrase is not used.`)
  }
  if (encrypted && passphrase) return decryptPrivateKey(block, passphrase, where)
  try {
    return createPrivateKey({ key: block, format: 'pem' })
  } catch {
    throw new InputError(
      `${capitalise(where)} is not a valid private key: its base64 body is corrupted or truncated. Export the key again.`,
    )
  }
}

/**
 * Tries the passphrase as given first, as spaces at either end may be part of it; then trimmed, as a
 * secret stored with a final line break is common and was trimmed before.
 */
function decryptPrivateKey(block: string, passphrase: string, where: string): KeyObject {
  for (const candidate of new Set([passphrase, passphrase.trim()])) {
    try {
      return createPrivateKey({ key: block, format: 'pem', passphrase: candidate })
    } catch (error) {
      if (isUnsupportedAlgorithm(error)) {
        throw new InputError(
          `${capitalise(where)} is encrypted with ${encryptionScheme(block)}, which OpenSSL 3 no longer supports: it cannot be decrypted here, whatever the passphrase. Re-encrypt it with AES: openssl pkey -in old.key -aes256 -out new.key (OpenSSL 3 reads the old key with -provider legacy -provider default added), and give the new key instead.`,
        )
      }
    }
  }
  throw new InputError(
    `${capitalise(where)} could not be decrypted with private-key-passphrase: the passphrase is wrong, or the key is corrupted.`,
  )
}

/** OpenSSL 3 moved DES, RC2, RC4 and the PBES1 schemes to its legacy provider, which Node does not load. */
const isUnsupportedAlgorithm = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ERR_OSSL_EVP_UNSUPPORTED'

/** The cipher a traditional encrypted key names in its DEK-Info header; a PKCS#8 key names it in DER only. */
function encryptionScheme(block: string): string {
  const dekInfo = block.split('\n').find((line) => line.startsWith('DEK-Info: '))
  const cipher = dekInfo && /^DEK-Info: ([A-Za-z0-9-]{1,40}),/.exec(dekInfo)?.[1]
  return cipher || 'a legacy PKCS#8 scheme (such as PBE-MD5-DES)'
}

function findLeaf(certificates: X509Certificate[], key: KeyObject | undefined, settings: Settings): number {
  if (key) {
    const index = certificates.findIndex((certificate) => matchesKey(certificate, key))
    if (index < 0) {
      throw new InputError(
        `The private key (${describeInput(settings.privateKey as PemInput)}) does not belong to ${certificates.length === 1 ? 'the certificate' : 'any certificate'} in ${describeInput(settings.certificate)} (${certificates.map(subjectOf).join('; ')}). Give the key that was used to request this certificate, or the certificate issued for this key.`,
      )
    }
    return index
  }
  if (settings.ca) return 0
  const clientIndex = certificates.findIndex((certificate) => !certificate.ca)
  return clientIndex < 0 ? 0 : clientIndex
}

function matchesKey(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key)
  } catch {
    return false
  }
}

function checkValidity(certificate: X509Certificate, which: string, where: string, now: Date): void {
  if (certificate.validToDate.getTime() <= now.getTime()) {
    throw new InputError(
      `${capitalise(which)} in ${where} (${subjectOf(certificate)}) expired on ${isoSeconds(certificate.validToDate)}: Cloudflare would reject clients using it. Renew the certificate and commit the new one.`,
    )
  }
  if (certificate.validFromDate.getTime() > now.getTime()) {
    throw new InputError(
      `${capitalise(which)} in ${where} (${subjectOf(certificate)}) is not valid until ${isoSeconds(certificate.validFromDate)}. Check the issuing system's clock, or upload it after that time.`,
    )
  }
}

export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

export function certificateFacts(certificate: X509Certificate, now: Date): CertificateFacts {
  return {
    expiresOn: isoSeconds(certificate.validToDate),
    issuer: certificate.issuer.split('\n').filter(Boolean).reverse().join(','),
    serialNumber: decimalSerial(certificate.serialNumber),
    signature: signatureAlgorithm(certificate),
    fingerprintSha256: certificate.fingerprint256,
    daysLeft: Math.floor((certificate.validToDate.getTime() - now.getTime()) / DAY_MS),
  }
}

/** Cloudflare shows serials in decimal; Node gives hex, with a minus sign for the (invalid, but seen) negative ones. */
export function decimalSerial(hex: string): string {
  const negative = hex.startsWith('-')
  const digits = negative ? hex.slice(1) : hex
  if (!/^[0-9a-f]+$/i.test(digits)) return hex
  return `${negative ? '-' : ''}${BigInt(`0x${digits}`).toString(10)}`
}

/** The first certificate in PEM text (the leaf, as Cloudflare stores chains), or undefined when there is none. */
export function leafCertificate(pem: string): X509Certificate | undefined {
  const block = scanPem(pem).blocks.find((candidate) => isCertificateLabel(candidate.label))
  if (!block) return undefined
  try {
    return new X509Certificate(block.text)
  } catch {
    return undefined
  }
}

export const leafFingerprint = (pem: string): string | undefined => leafCertificate(pem)?.fingerprint256

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA1WithRSA',
  '1.2.840.113549.1.1.11': 'SHA256WithRSA',
  '1.2.840.113549.1.1.12': 'SHA384WithRSA',
  '1.2.840.113549.1.1.13': 'SHA512WithRSA',
  '1.2.840.113549.1.1.10': 'SHA256WithRSAPSS',
  '1.2.840.10045.4.1': 'ECDSAWithSHA1',
  '1.2.840.10045.4.3.2': 'ECDSAWithSHA256',
  '1.2.840.10045.4.3.3': 'ECDSAWithSHA384',
  '1.2.840.10045.4.3.4': 'ECDSAWithSHA512',
  '1.3.101.112': 'PureEd25519',
}

/** Cloudflare's name for the certificate's signature algorithm; the OID itself for one it has no name for here. */
export function signatureAlgorithm(certificate: X509Certificate): string {
  const oid = certificate.signatureAlgorithmOid
  return SIGNATURE_ALGORITHMS[oid] ?? oid
}
