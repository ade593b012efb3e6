import { X509Certificate } from 'node:crypto'
import { isCertificateLabel, scanPem } from './pem.ts'

/** A certificate described in Cloudflare's formats: its dates, issuer, serial and signature names. */

const DAY_MS = 86_400_000

export interface CertificateFacts {
  expiresOn: string
  issuer: string
  serialNumber: string
  signature: string
  fingerprintSha256: string
  daysLeft: number
}

/**
 * Whole days left until `end`, a day begun counting as one (rounded up): a certificate expires within N
 * days exactly when this is at most N. 0 or less once it has expired (minus the whole days since). The
 * upload's warning and the audit count days by this one rule.
 */
export function daysLeft(end: Date, now: Date): number {
  return Math.ceil((end.getTime() - now.getTime()) / DAY_MS) || 0
}

export const isoSeconds = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

export function certificateFacts(certificate: X509Certificate, now: Date): CertificateFacts {
  return {
    expiresOn: isoSeconds(certificate.validToDate),
    issuer: certificate.issuer.split('\n').filter(Boolean).reverse().join(','),
    serialNumber: decimalSerial(certificate.serialNumber),
    signature: signatureAlgorithm(certificate),
    fingerprintSha256: certificate.fingerprint256,
    daysLeft: daysLeft(certificate.validToDate, now),
  }
}

/** How a certificate is named in messages: its common name, else its whole subject, else its serial. */
export function subjectOf(certificate: X509Certificate): string {
  const parts = certificate.subject.split('\n').filter(Boolean)
  const commonName = parts.find((part) => part.startsWith('CN='))
  return commonName ?? (parts.length > 0 ? parts.join(', ') : `serial ${certificate.serialNumber}`)
}

/** Cloudflare shows serials in decimal; Node gives hex, with a minus sign for the (invalid, but seen) negative ones. */
export function decimalSerial(hex: string): string {
  const negative = hex.startsWith('-')
  const digits = negative ? hex.slice(1) : hex
  if (!/^[0-9a-f]+$/i.test(digits)) return hex
  return `${negative ? '-' : ''}${BigInt(`0x${digits}`).toString(10)}`
}

/** PEM → X.509, the one place a certificate block is parsed: undefined when its body does not parse. */
export function parseX509(block: string): X509Certificate | undefined {
  try {
    return new X509Certificate(block)
  } catch {
    return undefined
  }
}

/** The certificate blocks in PEM text, in order. */
export const certificateBlocks = (pem: string): string[] =>
  scanPem(pem)
    .blocks.filter((block) => isCertificateLabel(block.label))
    .map((block) => block.text)

/** Every certificate in PEM text that parses, in order (a block that does not parse is left out). */
export const certificatesIn = (pem: string): X509Certificate[] =>
  certificateBlocks(pem).flatMap((block) => parseX509(block) ?? [])

/** The first certificate in PEM text (the leaf, as Cloudflare stores chains), or undefined when there is none. */
export function leafCertificate(pem: string): X509Certificate | undefined {
  const [block] = certificateBlocks(pem)
  return block === undefined ? undefined : parseX509(block)
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
