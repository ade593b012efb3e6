/**
 * What the format readers (toml.ts, json.ts) give for one Wrangler configuration: the value as
 * Wrangler reads it, and each `mtls_certificates` entry with where it is and how to write an id into it.
 */

/** One change to the text, as jsonc-parser's `Edit`: `length` characters at `offset` become `content`. */
export interface TextEdit {
  offset: number
  length: number
  content: string
}

/** A key path into the parsed value: `['env', 'production', 'mtls_certificates', 0]`. */
export type ValuePath = (string | number)[]

/** One `mtls_certificates` entry in the file. */
export interface CertificateEntry {
  /** Its binding's name, when the entry has one that is text. */
  binding?: string
  /** Where the entry object is in the parsed value. */
  path: ValuePath
  /** `certificate_id` as the file has it, when it is text. */
  certificateId?: string
  /** The edits that make its `certificate_id` the given id (insert it when there is none). */
  setId(id: string): TextEdit[]
}

export interface ConfigDocument {
  /** The configuration as Wrangler reads it (smol-toml for TOML, jsonc-parser for JSON). */
  value: unknown
  entries: CertificateEntry[]
}

/** Raised by a reader for text it cannot parse: the position is 1-based. */
export class ConfigSyntaxError extends Error {
  override name = 'ConfigSyntaxError'
  readonly line: number
  readonly column: number
  constructor(message: string, line: number, column: number) {
    super(message)
    this.line = line
    this.column = column
  }
}

/** A key written twice where it matters (JSON only: TOML refuses it as a syntax error). */
export class DuplicateKeyError extends ConfigSyntaxError {
  override name = 'DuplicateKeyError'
  readonly key: string
  readonly path: ValuePath
  readonly firstLine: number
  constructor(key: string, path: ValuePath, firstLine: number, line: number, column: number) {
    super(`"${key}" is written twice`, line, column)
    this.key = key
    this.path = path
    this.firstLine = firstLine
  }
}

/** 1-based line and column of an offset in the text. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: offset - lineStart + 1 }
}

/** Whether a value path names an `mtls_certificates` array: at the top level, or in `env.<name>`. */
export const isCertificatesPath = (path: readonly (string | number)[]): boolean =>
  (path.length === 1 && path[0] === 'mtls_certificates') ||
  (path.length === 3 && path[0] === 'env' && typeof path[1] === 'string' && path[2] === 'mtls_certificates')

/** Where an entry is, as messages and the summary say it: `top level` or `env.production`. */
export const sectionOf = (path: ValuePath): string => (path[0] === 'env' ? `env.${String(path[1])}` : 'top level')

/** The line ending the file uses: CRLF when its first line ends so. */
export function eolOf(text: string): '\r\n' | '\n' {
  const newline = text.indexOf('\n')
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n'
}
