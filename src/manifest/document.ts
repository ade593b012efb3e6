import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml'
import { InputError, errorMessage } from '../core/errors.ts'
import { plural, printable } from '../core/text.ts'
import type { FieldType } from './fields.ts'

/**
 * The manifest as YAML: parsed with line numbers, and every problem found in it collected with its
 * file, line and field, so that one error lists them all.
 */

/** Every problem of a manifest, each `manifest.yml:12: certificates[1].ca: …`, in one InputError. */
export class ManifestError extends InputError {
  override name = 'ManifestError'
  readonly problems: readonly string[]
  constructor(file: string, problems: readonly string[]) {
    const listed = problems.map((problem, index) => `(${index + 1}) ${problem}`).join(' ')
    super(`The manifest ${file} has ${plural(problems.length, 'problem')}, so nothing was sent: ${listed}`)
    this.problems = problems
  }
}

/** The problems found so far, each with where it is. */
export class Problems {
  readonly list: string[] = []
  readonly file: string
  private readonly lines: LineCounter
  constructor(file: string, lines: LineCounter) {
    this.file = file
    this.lines = lines
  }

  /** The line (1-based) a node starts on. */
  lineOf(node: Node | null | undefined): number {
    const offset = node?.range?.[0]
    return offset === undefined ? 1 : this.lines.linePos(offset).line
  }

  add(at: Node | number | null | undefined, field: string, message: string): void {
    const line = typeof at === 'number' ? at : this.lineOf(at)
    this.list.push(`${this.file}:${line}: ${field ? `${field}: ` : ''}${message}`)
  }

  /** Runs `check`, adding the InputError it throws (its message naming an input) as a problem of the field. */
  collect<T>(at: Node | number | null | undefined, field: string, check: () => T): T | undefined {
    try {
      return check()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      this.add(at, field, errorMessage(error).replace(/^Input '[\w-]+'(?::)? ?/, ''))
      return undefined
    }
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new ManifestError(this.file, this.list)
  }
}

/** The manifest's YAML: its top-level map, or the syntax errors, each with its line. */
export function parseManifestYaml(text: string, file: string): { root: YAMLMap | undefined; problems: Problems } {
  const lines = new LineCounter()
  const document = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: true })
  const problems = new Problems(file, lines)
  for (const error of [...document.errors, ...document.warnings]) {
    // The first line only: what follows is the quoted source, which the line number points to.
    const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? ''
    problems.add(error.linePos?.[0].line ?? 1, '', `YAML: ${message}`)
  }
  if (problems.list.length > 0) return { root: undefined, problems }
  if (!isMap(document.contents)) {
    problems.add(document.contents, '', 'the manifest must be a map with version: 1 and certificates: [...]')
    return { root: undefined, problems }
  }
  return { root: document.contents, problems }
}

/** Each key of a map with its value, keys that are not plain strings reported. */
export function pairsOf(map: YAMLMap, field: string, problems: Problems): [string, Node | null, Node | null][] {
  const pairs: [string, Node | null, Node | null][] = []
  for (const pair of map.items) {
    const key = pair.key as Node | null
    if (!isScalar(key) || typeof key.value !== 'string') {
      problems.add(key, field, 'every key must be a field name')
      continue
    }
    pairs.push([key.value, key, pair.value as Node | null])
  }
  return pairs
}

/** What a field's value is for a message: `a number`, `a list`. */
function kindOf(node: Node | null): string {
  if (isMap(node)) return 'a map'
  if (isSeq(node)) return 'a list'
  if (!isScalar(node) || node.value === null) return 'empty'
  return typeof node.value === 'string' ? 'a string' : typeof node.value === 'boolean' ? 'a boolean' : 'a number'
}

const EXPECTED: Record<FieldType, string> = {
  integer: 'a whole number',
  string: 'a string',
  boolean: 'true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE)',
  'string-list': 'a list of strings',
  entries: 'a list of certificate entries',
  bindings: 'a list of { config, binding } maps',
}

/** The field's value in its type, or a problem saying what was expected. */
export function valueOf(
  type: 'string' | 'boolean' | 'integer',
  node: Node | null,
  field: string,
  problems: Problems,
  at: Node | null = node,
): string | boolean | number | undefined {
  if (isScalar(node)) {
    const { value } = node
    if (type === 'string' && typeof value === 'string') {
      if (value.trim()) return value.trim()
      problems.add(at, field, 'is empty')
      return undefined
    }
    // A zone id or name of digits alone reads as a number in YAML: taken as written.
    if (type === 'string' && typeof value === 'number' && node.srcToken && 'source' in node.srcToken) {
      return node.srcToken.source
    }
    if (type === 'boolean' && typeof value === 'boolean') return value
    if (type === 'integer' && typeof value === 'number' && Number.isInteger(value)) return value
  }
  const value: unknown = isScalar(node) ? node.value : undefined
  const shown =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? ` (${printable(String(value)).slice(0, 20)})`
      : ''
  problems.add(at, field, `must be ${EXPECTED[type]}, got ${kindOf(node)}${shown}`)
  return undefined
}

export function listOf(
  node: Node | null,
  type: FieldType,
  field: string,
  problems: Problems,
  at: Node | null = node,
): Node[] | undefined {
  if (isSeq(node)) return node.items as Node[]
  problems.add(at, field, `must be ${EXPECTED[type]}, got ${kindOf(node)}`)
  return undefined
}

/** The fields of a map, each known field once; an unknown one is a problem. */
export function knownFields<K extends string>(
  node: Node,
  known: Record<K, unknown>,
  required: readonly K[],
  path: string,
  problems: Problems,
): Partial<Record<K, { key: Node | null; value: Node | null }>> | undefined {
  if (!isMap(node)) {
    problems.add(node, path, 'must be a map of fields')
    return undefined
  }
  const fields: Partial<Record<K, { key: Node | null; value: Node | null }>> = {}
  for (const [name, key, value] of pairsOf(node, path, problems)) {
    if (name in known) fields[name as K] = { key, value }
    else
      problems.add(key, path, `unknown field '${name.slice(0, 40)}' (the fields are: ${Object.keys(known).join(', ')})`)
  }
  for (const name of required) if (!fields[name]) problems.add(node, `${path}.${name}`, 'is required')
  return fields
}
