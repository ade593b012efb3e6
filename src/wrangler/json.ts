import { modify, parseTree, getNodeValue, printParseErrorCode, type ParseError } from 'jsonc-parser'
import {
  ConfigSyntaxError,
  eolOf,
  isRecord,
  positionOf,
  type CertificateEntry,
  type ConfigDocument,
  type ValuePath,
} from './document.ts'

/**
 * wrangler.json and wrangler.jsonc, read as Wrangler reads both: JSON with comments and trailing
 * commas (jsonc-parser). An id is written with jsonc-parser's `modify`, which replaces the value
 * alone, or inserts the property formatted as the file is (its indentation and line endings).
 */
const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false }

export function readJson(text: string): ConfigDocument {
  const errors: ParseError[] = []
  const tree = parseTree(text, errors, OPTIONS)
  const error = errors[0]
  if (error || !tree) {
    const { line, column } = positionOf(text, error?.offset ?? 0)
    throw new ConfigSyntaxError(error ? describe(printParseErrorCode(error.error)) : 'no JSON value', line, column)
  }
  const value: unknown = getNodeValue(tree)
  const entries: CertificateEntry[] = []
  const collect = (path: ValuePath, list: unknown): void => {
    if (!Array.isArray(list)) return
    list.forEach((entry: unknown, index) => {
      if (!isRecord(entry)) return
      entries.push(jsonEntry(text, [...path, index], entry))
    })
  }
  if (isRecord(value)) {
    collect(['mtls_certificates'], value.mtls_certificates)
    if (isRecord(value.env)) {
      for (const [name, env] of Object.entries(value.env)) {
        if (isRecord(env)) collect(['env', name, 'mtls_certificates'], env.mtls_certificates)
      }
    }
  }
  return { value, entries }
}

/** `CloseBraceExpected` → `close brace expected`. */
const describe = (code: string): string => code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()

function jsonEntry(text: string, path: ValuePath, entry: Record<string, unknown>): CertificateEntry {
  const { binding, certificate_id: id } = entry
  return {
    ...(typeof binding === 'string' ? { binding } : {}),
    ...(typeof id === 'string' ? { certificateId: id } : {}),
    path,
    setId: (newId) => modify(text, [...path, 'certificate_id'], newId, { formattingOptions: formattingOf(text) }),
  }
}

/** The file's own indentation (a tab, or the smallest run of spaces that starts a line) and line ending. */
function formattingOf(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const eol = eolOf(text)
  const indents = [...text.matchAll(/\n([ \t]+)\S/g)].map((match) => match[1] ?? '')
  if (indents.some((indent) => indent.startsWith('\t'))) return { insertSpaces: false, tabSize: 1, eol }
  const spaces = Math.min(...indents.map((indent) => indent.length).filter((length) => length > 0))
  return { insertSpaces: true, tabSize: Number.isFinite(spaces) ? spaces : 2, eol }
}
