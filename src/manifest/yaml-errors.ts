import type { Document, YAMLError } from 'yaml'

/**
 * The manifest's YAML errors as a person fixes them: the first error at each place, with a hint.
 * One indentation mistake or a missing list dash makes the parser misread every line after it, and
 * it reports each misreading (6 to 15 messages for one mistake): those are left out.
 */

/** Errors after which the parser's picture of the structure is wrong: only the first is its own. */
const STRUCTURE = new Set([
  'BAD_INDENT',
  'BLOCK_AS_IMPLICIT_KEY',
  'MULTILINE_IMPLICIT_KEY',
  'MISSING_CHAR',
  'UNEXPECTED_TOKEN',
  'BLOCK_IN_FLOW',
  'TAB_AS_INDENT',
])

const DEEPER =
  "a line below this one is indented more than it: is each line indented like the one above it, and does each list item start with '- '?"
const HINTS: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'tabs cannot indent YAML: use spaces',
  BLOCK_AS_IMPLICIT_KEY: DEEPER,
  MULTILINE_IMPLICIT_KEY: DEEPER,
  BAD_INDENT: 'is this line indented like the one above it?',
}
/** A list item after fields indented deeper than it: the list's first item lost its dash. */
const LIST_AFTER_FIELDS =
  "this list item follows fields indented more than it: does every item of the list start with '- ', and is each indented like the one above it?"

const hintOf = (error: YAMLError): string | undefined =>
  error.message.startsWith('A block sequence may not be used as an implicit map key')
    ? LIST_AFTER_FIELDS
    : HINTS[error.code]

/** The errors to report, each `[line, message]`, in the order of the text. */
export function yamlErrors(document: Document): [number, string][] {
  const all: YAMLError[] = [...document.errors, ...document.warnings].sort((a, b) => a.pos[0] - b.pos[0])
  const reported: [number, string][] = []
  const lines = new Set<number>()
  let misread = false
  for (const error of all) {
    const line = error.linePos?.[0].line ?? 1
    // After the first structural error, only another tab is sure to be a mistake of its own.
    if (lines.has(line) || (misread && error.code !== 'TAB_AS_INDENT')) continue
    const structural = STRUCTURE.has(error.code)
    // The first line only: what follows is the quoted source, which the line number points to.
    const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? ''
    const hint = hintOf(error)
    const after = structural && !misread ? ' (the lines after it are checked once it is fixed)' : ''
    reported.push([line, `YAML: ${message}${hint ? `: ${hint}` : ''}${after}`])
    lines.add(line)
    misread ||= structural
  }
  return reported
}
