import { isRecord } from '../core/record.ts'
import {
  findNodeAtLocation,
  getNodeValue,
  modify,
  parseTree,
  printParseErrorCode,
  type Node,
  type ParseError,
} from 'jsonc-parser'
import {
  ConfigSyntaxError,
  DuplicateKeyError,
  eolOf,
  isCertificatesPath,
  positionOf,
  type CertificateEntry,
  type ConfigDocument,
  type ValuePath,
} from './document.ts'

/** The edit applier of jsonc-parser, for parsers.ts: both formats' edits are text ranges. */
export { applyEdits } from 'jsonc-parser'

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
  checkDuplicateKeys(text, tree, [])
  const value: unknown = getNodeValue(tree)
  const entries: CertificateEntry[] = []
  const collect = (path: ValuePath, list: unknown): void => {
    if (!Array.isArray(list)) return
    list.forEach((entry: unknown, index) => {
      const node = findNodeAtLocation(tree, [...path, index])
      if (!isRecord(entry) || !node) return
      entries.push(jsonEntry(text, [...path, index], entry, node))
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

function jsonEntry(text: string, path: ValuePath, entry: Record<string, unknown>, node: Node): CertificateEntry {
  const { binding, certificate_id: id } = entry
  const last = node.children?.at(-1)
  const oneLine = !text.slice(node.offset, node.offset + node.length).includes('\n')
  return {
    ...(typeof binding === 'string' ? { binding } : {}),
    ...(typeof id === 'string' ? { certificateId: id } : {}),
    path,
    setId: (newId) =>
      // An object on one line stays on one line: the new key goes after its last property.
      id === undefined && oneLine && last
        ? [{ offset: last.offset + last.length, length: 0, content: `, "certificate_id": ${JSON.stringify(newId)}` }]
        : modify(text, [...path, 'certificate_id'], newId, { formattingOptions: formattingOf(text) }),
  }
}

/** Whether a key written twice in the object at `path` changes what the action edits. */
const matters = (path: ValuePath, key: string): boolean =>
  (path.length === 0 && (key === 'mtls_certificates' || key === 'env')) ||
  (path.length === 1 && path[0] === 'env') ||
  (path.length === 2 && path[0] === 'env' && key === 'mtls_certificates') ||
  (typeof path.at(-1) === 'number' && isCertificatesPath(path.slice(0, -1)))

/**
 * Refuses a key written twice on the way to a binding (`certificate_id`, `mtls_certificates`, an
 * environment): wrangler reads the last one, and an edit could change the other.
 */
function checkDuplicateKeys(text: string, node: Node, path: ValuePath): void {
  if (node.type === 'array') {
    if (isCertificatesPath(path))
      node.children?.forEach((item, index) => {
        checkDuplicateKeys(text, item, [...path, index])
      })
    return
  }
  if (node.type !== 'object') return
  const seen = new Map<string, number>()
  for (const property of node.children ?? []) {
    const [keyNode, value] = property.children ?? []
    if (keyNode?.type !== 'string' || typeof keyNode.value !== 'string') continue
    const key = keyNode.value
    const first = seen.get(key)
    if (first !== undefined && matters(path, key)) {
      const { line, column } = positionOf(text, keyNode.offset)
      throw new DuplicateKeyError(key, [...path, key], positionOf(text, first).line, line, column)
    }
    seen.set(key, keyNode.offset)
    if (value && path.length < 4) checkDuplicateKeys(text, value, [...path, key])
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
