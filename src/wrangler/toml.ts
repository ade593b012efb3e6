import { parse, TomlError } from 'smol-toml'
import { parseTOML, ParseError, type AST } from 'toml-eslint-parser'
import {
  ConfigSyntaxError,
  eolOf,
  isCertificatesPath,
  type CertificateEntry,
  type ConfigDocument,
  type TextEdit,
  type ValuePath,
} from './document.ts'

/**
 * wrangler.toml: read as Wrangler reads it (smol-toml), and located with toml-eslint-parser, whose
 * syntax tree gives each node's source range, so that an id is written by replacing exactly the
 * characters of the old one, or inserted on a line of its own. Both forms are found: tables
 * (`[[mtls_certificates]]`, `[[env.production.mtls_certificates]]`) and inline arrays
 * (`mtls_certificates = [{ … }]`, under `[env.production]` too).
 */
export function readToml(text: string): ConfigDocument {
  let value: unknown
  try {
    // smol-toml, as wrangler reads TOML, takes TOML 1.1 (inline tables over several lines): so does the locator.
    value = parse(text)
  } catch (error) {
    if (error instanceof TomlError) throw new ConfigSyntaxError(firstLine(error.message), error.line, error.column)
    throw error
  }
  let tree: AST.TOMLProgram
  try {
    tree = parseTOML(text, { tomlVersion: '1.1.0' })
  } catch (error) {
    if (error instanceof ParseError) throw new ConfigSyntaxError(error.message, error.lineNumber, error.column + 1)
    throw error
  }
  const entries: CertificateEntry[] = []
  for (const node of tree.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      visitKeyValue(text, node, [], entries)
      continue
    }
    const path = node.resolvedKey
    if (node.kind === 'array' && isCertificatesPath(path.slice(0, -1))) {
      entries.push(tableEntry(text, node.body, path))
    } else {
      for (const keyValue of node.body) visitKeyValue(text, keyValue, path, entries)
    }
  }
  return { value, entries }
}

/** smol-toml's message holds a code block after its first line: the position is given apart. */
const firstLine = (message: string): string => message.split('\n')[0] ?? message

const keyPath = (node: AST.TOMLKeyValue): string[] =>
  node.key.keys.map((key) => (key.type === 'TOMLBare' ? key.name : key.value))

/** A key/value: an inline array of entries, or an inline table that may hold one (`env = { … }`). */
function visitKeyValue(text: string, node: AST.TOMLKeyValue, base: ValuePath, entries: CertificateEntry[]): void {
  const path = [...base, ...keyPath(node)]
  const value = node.value
  if (value.type === 'TOMLArray' && isCertificatesPath(path)) {
    value.elements.forEach((element, index) => {
      if (element.type === 'TOMLInlineTable') entries.push(inlineEntry(element, [...path, index]))
    })
  } else if (value.type === 'TOMLInlineTable') {
    for (const inner of value.body) visitKeyValue(text, inner, path, entries)
  }
}

function fields(body: readonly AST.TOMLKeyValue[]): { binding?: AST.TOMLKeyValue; id?: AST.TOMLKeyValue } {
  const named = (name: string): AST.TOMLKeyValue | undefined =>
    body.find((node) => node.key.keys.length === 1 && keyPath(node)[0] === name)
  const binding = named('binding')
  const id = named('certificate_id')
  return { ...(binding ? { binding } : {}), ...(id ? { id } : {}) }
}

const textOf = (node: AST.TOMLKeyValue | undefined): string | undefined =>
  node?.value.type === 'TOMLValue' && node.value.kind === 'string' ? node.value.value : undefined

/** The id as a TOML string, in the quotes the file already uses for it (or for the binding). */
function quoted(id: string, like: AST.TOMLKeyValue | undefined): string {
  const value = like?.value
  return value?.type === 'TOMLValue' && value.kind === 'string' && value.style === 'literal' ? `'${id}'` : `"${id}"`
}

/** An edit that replaces the value of `certificate_id = …`, and nothing around it. */
const replaceValue = (node: AST.TOMLKeyValue, id: string): TextEdit => ({
  offset: node.value.range[0],
  length: node.value.range[1] - node.value.range[0],
  content: quoted(id, node),
})

function entryOf(
  body: readonly AST.TOMLKeyValue[],
  path: ValuePath,
  insert: (binding: AST.TOMLKeyValue, id: string) => TextEdit,
): CertificateEntry {
  const { binding, id } = fields(body)
  const name = textOf(binding)
  const certificateId = textOf(id)
  return {
    ...(name === undefined ? {} : { binding: name }),
    ...(certificateId === undefined ? {} : { certificateId }),
    path,
    setId: (newId) => {
      if (id) return [replaceValue(id, newId)]
      // Only entries with a binding are edited: the new key goes beside it.
      return binding ? [insert(binding, newId)] : []
    },
  }
}

/** `[[mtls_certificates]]`: a missing id goes on the line after the binding's, indented as it is. */
function tableEntry(text: string, body: readonly AST.TOMLKeyValue[], path: ValuePath): CertificateEntry {
  return entryOf(body, path, (binding, id) => {
    const lineStart = text.lastIndexOf('\n', binding.range[0] - 1) + 1
    const lead = text.slice(lineStart, binding.range[0])
    const indent = /^[ \t]*$/.test(lead) ? lead : ''
    const newline = text.indexOf('\n', binding.range[1])
    // The binding's own line ending; on the last line, which has none, the file's.
    const eol = newline < 0 ? eolOf(text) : text[newline - 1] === '\r' ? '\r\n' : '\n'
    const line = `${indent}certificate_id = ${quoted(id, binding)}`
    return newline < 0
      ? { offset: text.length, length: 0, content: `${eol}${line}` }
      : { offset: newline + 1, length: 0, content: `${line}${eol}` }
  })
}

/** `{ binding = "X" }`: a missing id goes right after the binding, in the same inline table. */
function inlineEntry(table: AST.TOMLInlineTable, path: ValuePath): CertificateEntry {
  return entryOf(table.body, path, (binding, id) => ({
    offset: binding.range[1],
    length: 0,
    content: `, certificate_id = ${quoted(id, binding)}`,
  }))
}
