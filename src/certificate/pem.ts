/**
 * Splitting PEM text into typed blocks, tolerant of what users really paste. It also reads text from
 * the API (a listed certificate's chain, up to the 8 MiB answer cap), so no pattern here can
 * backtrack: the time it takes grows linearly with the text, whatever the text.
 */

interface PemBlock {
  /** The label between BEGIN and END, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`. */
  label: string
  /** The whole block, normalised: LF line endings, no indentation or trailing spaces. */
  text: string
}

interface PemScan {
  blocks: PemBlock[]
  /** A BEGIN line without its END line: the text was cut off. */
  truncatedLabel?: string
}

/** Labels are a few words (`ENCRYPTED PRIVATE KEY`); the bound keeps each match short on hostile text. */
const LABEL = '[A-Z0-9 ]{1,64}'
/** Armour anywhere in the text: two files joined by `cat` put an END and a BEGIN on one line. */
const ARMOUR = new RegExp(`-----(BEGIN|END) (${LABEL})-----`, 'g')
const ARMOUR_LINE = new RegExp(`^-----(?:BEGIN|END) ${LABEL}-----$`)
/**
 * Line breaks as users have them: LF, CRLF, a lone CR, and the two characters `\n` (or `\r\n`) of a
 * key that went through JSON or a .env file. A backslash never occurs in PEM, so reading one as a
 * break cannot change a block.
 */
const LINE_BREAK = /\r\n?|\n|\\r\\n|\\n/

/** Whether a line (without surrounding whitespace) is a BEGIN or END armour line. */
export const isArmourLine = (line: string): boolean => ARMOUR_LINE.test(line)

/**
 * Lines without surrounding whitespace: indentation (a YAML block scalar pasted with extra indent),
 * trailing spaces, a byte-order mark.
 */
const trimmedLines = (text: string): string[] => text.split(LINE_BREAK).map((line) => line.trim())

/**
 * The text as the scanner reads it: lines trimmed, literal `\n` as line breaks, every armour line on
 * a line of its own. A block `scanPem` finds is made of these lines, so for a key given in a form that
 * needs any of this, this is the form the action makes of it: a secret to mask too.
 */
export function normalisePem(text: string): string {
  const lines: string[] = []
  let from = 0
  for (const match of text.matchAll(ARMOUR)) {
    for (const line of bodyLines(text.slice(from, match.index))) lines.push(line)
    lines.push(match[0])
    from = match.index + match[0].length
  }
  for (const line of bodyLines(text.slice(from))) lines.push(line)
  return lines.join('\n').trim()
}

/**
 * The blocks in text, in order. Only armour is searched for, with one bounded pattern; the lines of a
 * block are split once its END is found. So each character is looked at a bounded number of times,
 * however many BEGIN lines lack their END.
 */
export function scanPem(text: string): PemScan {
  const blocks: PemBlock[] = []
  let truncatedLabel: string | undefined
  let open: { label: string; armour: string; bodyStart: number } | undefined
  for (const match of text.matchAll(ARMOUR)) {
    const [armour, edge, label = ''] = match
    if (edge === 'BEGIN') {
      // A BEGIN inside an open block: that block was cut off.
      if (open) truncatedLabel ??= open.label
      open = { label, armour, bodyStart: match.index + armour.length }
    } else if (open) {
      if (label === open.label) {
        const body = bodyLines(text.slice(open.bodyStart, match.index))
        blocks.push({ label, text: [open.armour, ...body, armour].join('\n') })
      } else {
        truncatedLabel ??= open.label
      }
      open = undefined
    }
  }
  if (open) truncatedLabel ??= open.label
  return truncatedLabel === undefined ? { blocks } : { blocks, truncatedLabel }
}

/**
 * The lines between two armour lines: the rest of the first armour's line and the start of the next
 * one's are dropped when empty, as usual, and kept when they hold text. Blank lines inside are kept:
 * a traditional encrypted key has one between its headers and its body.
 */
function bodyLines(body: string): string[] {
  const lines = trimmedLines(body)
  if (lines[0] === '') lines.shift()
  if (lines.at(-1) === '') lines.pop()
  return lines
}

export const isPrivateKeyLabel = (label: string): boolean => label.endsWith('PRIVATE KEY')
export const isPublicKeyLabel = (label: string): boolean => label.endsWith('PUBLIC KEY')
export const isCertificateLabel = (label: string): boolean =>
  label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE'

/**
 * A PKCS#12 file (`.p12`, `.pfx`): binary, so read as text it holds no PEM. Its DER begins with a
 * SEQUENCE holding the version, INTEGER 3, then another SEQUENCE; those bytes are ASCII, so they
 * survive being read as UTF-8, near the start.
 */
function looksLikePkcs12(text: string, path?: string): boolean {
  if (path !== undefined && /\.(?:p12|pfx)$/i.test(path)) return true
  return text.startsWith('0') && text.slice(0, 12).includes('\u0002\u0001\u00030')
}

/**
 * What to do with a PKCS#12 file, for a message about either input: the openssl commands that take the
 * certificate, its chain (leaf first, as Cloudflare expects; `-clcerts` alone drops the chain) and the
 * key out.
 */
export function pkcs12Advice(path: string | undefined): string {
  const file = path ?? 'client.p12'
  return `is a PKCS#12 file (.p12/.pfx), not PEM: take the certificate and its chain out with openssl pkcs12 -in ${file} -clcerts -nokeys -out client.pem; openssl pkcs12 -in ${file} -cacerts -nokeys >> client.pem and the key with openssl pkcs12 -in ${file} -nocerts -nodes -out client.key (add -legacy to each for a file made by older tools), then give client.pem in certificate-path and the key in private-key`
}

/** What a PEM input was given for: a certificate, or the private key of one. */
export type PemKind = 'certificate' | 'private key'

/**
 * Why text given for one kind of PEM holds another (or none that can be read), as the end of a
 * sentence that begins with the input's name; undefined when nothing tells. The one place the
 * "wrong kind of PEM" messages of the certificate and key inputs are written.
 */
export function wrongKindOfPem(
  expected: PemKind,
  scan: PemScan,
  text: string,
  path: string | undefined,
): string | undefined {
  const labels = scan.blocks.map((block) => block.label)
  if (expected === 'private key') {
    if (looksLikePkcs12(text, path)) return pkcs12Advice(path)
    if (scan.truncatedLabel) {
      return `is cut off (a -----BEGIN ${scan.truncatedLabel}----- line has no END line); copy the whole key`
    }
    if (labels.some(isCertificateLabel)) {
      return 'holds a certificate, not a private key; give the key that belongs to the certificate'
    }
    if (labels.some(isPublicKeyLabel)) return 'holds a public key; give the private key that belongs to the certificate'
    return undefined
  }
  if (labels.some(isPublicKeyLabel)) {
    return 'holds a public key, not a certificate: give the PEM certificate (-----BEGIN CERTIFICATE-----) issued for that key'
  }
  if (labels.some((label) => label.includes('CERTIFICATE REQUEST'))) {
    return 'holds a certificate signing request, not a certificate: give the certificate your CA issued for it'
  }
  if (looksLikePkcs12(text, path)) return pkcs12Advice(path)
  return undefined
}
