import type { KeyObject, X509Certificate } from 'node:crypto'
import { certificateFacts, isoSeconds, parseX509, subjectOf, type CertificateFacts } from './facts.ts'
import { InputError } from '../core/errors.ts'
import { isCertificateLabel, isPrivateKeyLabel, scanPem, wrongKindOfPem } from './pem.ts'
import { parsePrivateKey } from './private-key.ts'
import { KeyMismatchError, describePemInput, type CertificateSpec, type PemInput } from './spec.ts'
import { capitalise } from '../core/text.ts'

/** A certificate that passed every local check, in the form Cloudflare is sent. */
export interface CheckedCertificate {
  /** The certificate that matches the key (or the first one): what Cloudflare lists it by. */
  leaf: X509Certificate
  /** Leaf first, then the rest of the chain in the order given. */
  chain: X509Certificate[]
  /** The chain as canonical PEM, leaf first: the `certificates` field of the upload. */
  certificatesPem: string
  /** Unencrypted PKCS#8 PEM of the leaf's key: a form the action makes of a secret, to register before logging. */
  privateKeyPem?: string
  /** Facts about the leaf in Cloudflare's formats, for outputs before or without an upload. */
  facts: CertificateFacts
  notices: string[]
  warnings: string[]
}

/**
 * Checks the certificate (and key) the user gave, as far as can be done before Cloudflare sees it:
 * the chain's order and CA flags, the key matching the leaf, validity dates. Throws InputError.
 */
export function checkCertificate(
  spec: CertificateSpec,
  { now, expiryWarningDays }: { now: Date; expiryWarningDays: number },
): CheckedCertificate {
  const notices: string[] = []
  const warnings: string[] = []
  const certificateInput = describePemInput(spec.certificate)
  const certificates = withoutRepeats(parseCertificates(spec.certificate), certificateInput, notices)
  const key = spec.privateKey ? parsePrivateKey(spec.privateKey, spec.privateKeyPassphrase, warnings) : undefined

  const leafIndex = findLeaf(certificates, key, spec)
  const leaf = certificates[leafIndex] as X509Certificate
  const chain = [leaf, ...certificates.filter((_, index) => index !== leafIndex)]
  if (leafIndex !== 0) {
    notices.push(
      `The ${key ? 'certificate matching the private key' : 'client (non-CA) certificate'} (${subjectOf(leaf)}) was certificate ${leafIndex + 1} of ${certificates.length} in ${certificateInput}; it is sent first, as Cloudflare expects the leaf first.`,
    )
  }

  if (spec.ca) {
    chain.forEach((certificate, index) => {
      if (!certificate.ca) {
        throw new InputError(
          `ca is true, but ${position(index, chain.length)} in ${certificateInput} (${subjectOf(certificate)}) is not a CA certificate (its basic constraints lack CA:TRUE). For a client certificate set ca: false and give its key in private-key; for mTLS client verification upload the CA that issued it.`,
        )
      }
    })
  } else if (leaf.ca && !key && !spec.keyUnavailable) {
    throw new InputError(
      `ca is false, but ${certificateInput} holds a CA certificate (${subjectOf(leaf)}) and no private key is given. Set ca: true to upload it as a CA for client-certificate verification, or give the client certificate and its key in private-key.`,
    )
  }
  // A client certificate without its key, and no allow-missing-key: refused by certificate/rules.ts before.

  chain.forEach((certificate, index) => {
    checkValidity(certificate, position(index, chain.length), certificateInput, now)
  })

  const facts = certificateFacts(leaf, now)
  if (facts.daysLeft <= expiryWarningDays) {
    warnings.push(
      `The certificate ${subjectOf(leaf)} expires in ${facts.daysLeft} day${facts.daysLeft === 1 ? '' : 's'} (${facts.expiresOn}), within expiry-warning-days (${expiryWarningDays}). Plan its rotation.`,
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
  if (key) checked.privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString()
  return checked
}

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

const position = (index: number, count: number): string =>
  count === 1 ? 'the certificate' : index === 0 ? 'the leaf certificate' : `certificate ${index + 1} of ${count}`

function parseCertificates(input: PemInput): X509Certificate[] {
  const where = describePemInput(input)
  if (!input.text.trim()) {
    throw new InputError(
      `${capitalise(where)} is empty: it must hold the PEM certificate (-----BEGIN CERTIFICATE-----).`,
    )
  }
  // A key pasted with the certificate was registered as a secret when it was read (action/secrets.ts registerPemSecrets).
  const scan = scanPem(input.text)
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
    const wrong = wrongKindOfPem('certificate', scan, input.text, input.path)
    if (wrong) throw new InputError(`${capitalise(where)} ${wrong}.`)
    throw new InputError(
      `${capitalise(where)} holds no PEM certificate${looksBinary(input.text) ? ' (it looks binary: a DER file? Convert it with openssl x509 -inform der -in cert.der -out cert.pem)' : ''}: expected text between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines.`,
    )
  }
  return certificateBlocks.map((block, index) => {
    const certificate = parseX509(block.text)
    if (!certificate) {
      throw new InputError(
        `${capitalise(where)}: ${certificateBlocks.length === 1 ? 'the certificate' : `certificate ${index + 1} of ${certificateBlocks.length}`} is not a valid X.509 certificate (its base64 body is corrupted or truncated). Export the certificate again.`,
      )
    }
    return certificate
  })
}

function looksBinary(text: string): boolean {
  return /(?![\t\n\r])\p{Cc}|\ufffd/u.test(text.slice(0, 512))
}

function findLeaf(certificates: X509Certificate[], key: KeyObject | undefined, spec: CertificateSpec): number {
  if (key) {
    const index = certificates.findIndex((certificate) => matchesKey(certificate, key))
    if (index < 0) {
      throw new KeyMismatchError(
        `The private key (${describePemInput(spec.privateKey as PemInput)}) does not belong to ${certificates.length === 1 ? 'the certificate' : 'any certificate'} in ${describePemInput(spec.certificate)} (${certificates.map(subjectOf).join('; ')}). Give the key that was used to request this certificate, or the certificate issued for this key. After a renewal with a new key, the secret may still hold the previous key: update the secret too.`,
      )
    }
    return index
  }
  if (spec.ca) return 0
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
      `${capitalise(which)} in ${where} (${subjectOf(certificate)}) expired on ${isoSeconds(certificate.validToDate)}: Cloudflare rejects clients using it. Renew the certificate and commit the new one.`,
    )
  }
  if (certificate.validFromDate.getTime() > now.getTime()) {
    throw new InputError(
      `${capitalise(which)} in ${where} (${subjectOf(certificate)}) is not valid until ${isoSeconds(certificate.validFromDate)}. Check the issuing system's clock, or upload it after that time.`,
    )
  }
}
