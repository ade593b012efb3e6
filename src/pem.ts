/** Splitting PEM text into typed blocks, tolerant of what users really paste. */

export interface PemBlock {
  /** The label between BEGIN and END, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`. */
  label: string
  /** The whole block, normalised to LF line endings without trailing spaces. */
  text: string
}

export interface PemScan {
  blocks: PemBlock[]
  /** A BEGIN line without its END line: the text was cut off. */
  truncatedLabel?: string
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\n([\s\S]*?)\n?-----END \1-----/g
const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g

/** Normalises CRLF or CR line endings, a byte-order mark and trailing whitespace. */
export function normalisePem(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()
}

export function scanPem(rawText: string): PemScan {
  const text = normalisePem(rawText)
  const blocks: PemBlock[] = []
  const closed = new Set<number>()
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] ?? ''
    blocks.push({ label, text: match[0] })
    closed.add(match.index)
  }
  for (const match of text.matchAll(BEGIN)) {
    if (!closed.has(match.index)) return { blocks, truncatedLabel: match[1] ?? '' }
  }
  return { blocks }
}

export const isPrivateKeyLabel = (label: string): boolean => label.endsWith('PRIVATE KEY')
export const isPublicKeyLabel = (label: string): boolean => label.endsWith('PUBLIC KEY')
export const isCertificateLabel = (label: string): boolean =>
  label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE'
