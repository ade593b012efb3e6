/**
 * A configuration's bytes as text, and back, so that writing an id changes only the id's bytes.
 * Wrangler 4 drops a UTF-8 byte order mark and reads the rest as UTF-8 (a byte that is not UTF-8
 * becomes U+FFFD, in a comment most often): the BOM is kept apart and put back, and a file that is
 * not UTF-8 is read byte for byte (Latin-1: one character per byte), so each byte is written back as it was.
 * Both formats' syntax is ASCII, so its structure and the ids read the same either way.
 */

export interface ConfigEncoding {
  /** Whether the file starts with a UTF-8 byte order mark. */
  bom: boolean
  /** `latin1` for a file that is not valid UTF-8. */
  encoding: 'utf8' | 'latin1'
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The text after any BOM, and how to write it back. */
export function decodeConfig(bytes: Buffer): ConfigEncoding & { text: string } {
  const bom = bytes.subarray(0, 3).equals(BOM)
  const body = bom ? bytes.subarray(3) : bytes
  try {
    return { bom, encoding: 'utf8', text: strictUtf8.decode(body) }
  } catch {
    return { bom, encoding: 'latin1', text: body.toString('latin1') }
  }
}

/** The bytes of `text` (without its BOM) written as the file was. */
export const encodeConfig = (text: string, { bom, encoding }: ConfigEncoding): Buffer =>
  Buffer.concat([bom ? BOM : Buffer.alloc(0), Buffer.from(text, encoding)])

/** Whether the file starts with a UTF-16 or UTF-32 byte order mark, which Wrangler refuses too. */
export const hasWideBom = (bytes: Buffer): boolean =>
  [
    [0x00, 0x00, 0xfe, 0xff],
    [0xff, 0xfe, 0x00, 0x00],
    [0xfe, 0xff],
    [0xff, 0xfe],
  ].some((bom) => bytes.subarray(0, bom.length).equals(Buffer.from(bom)))
