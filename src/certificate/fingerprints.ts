import { createHash } from 'node:crypto'
import { leafCertificate } from './facts.ts'

/**
 * A certificate's identity by content: its DER, not its PEM text, which Cloudflare re-encodes (line
 * length, trailing newline, chain order). Used to adopt a certificate a store already holds.
 */

/** SHA-256 of the first certificate's DER, as lowercase hex; undefined when the text holds none that parses. */
export function leafSha256(pem: string): string | undefined {
  const leaf = leafCertificate(pem)
  return leaf && createHash('sha256').update(leaf.raw).digest('hex')
}

/** MD5 of the first certificate's DER, as lowercase hex: what Access calls the certificate's fingerprint. */
export function leafMd5(pem: string): string | undefined {
  const leaf = leafCertificate(pem)
  return leaf && createHash('md5').update(leaf.raw).digest('hex')
}

/** Whether two PEM texts hold the same first certificate (both must parse). */
export function sameLeaf(a: string, b: string): boolean {
  const first = leafSha256(a)
  return first !== undefined && first === leafSha256(b)
}
