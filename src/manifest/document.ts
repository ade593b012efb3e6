import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml'
import { InputError, errorMessage } from '../core/errors.ts'
import { plural, printable } from '../core/text.ts'
import type { FieldType } from './fields.ts'
import { yamlErrors } from './yaml-errors.ts'

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
  for (const [line, message] of yamlErrors(document)) problems.add(line, '', message)
  // The docs promise YAML 1.2's booleans only: under %YAML 1.1, `ca: yes` would read as true.
  const version = document.directives.yaml
  if (version.explicit && version.version !== '1.2') {
    const line = text.split('\n').findIndex((each) => each.startsWith('%YAML')) + 1
    problems.add(
      line || 1,
      '',
      `YAML: %YAML ${version.version} is not read: a manifest is YAML 1.2, whose only booleans are true and false (yes, no, on and off are strings). Remove the %YAML line, and write true or false`,
    )
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

/** A value as a message quotes it: printable, and at most `max` characters, a cut marked with an ellipsis. */
export function shown(value: string, max = 60): string {
  const text = printable(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
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
  configs: 'a list of { config } maps',
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
  const got =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? ` (${shown(String(value), 30)})`
      : ''
  problems.add(at, field, `must be ${EXPECTED[type]}, got ${kindOf(node)}${got}`)
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
    // Own fields only: `toString` or `__proto__` is no field, though `in` finds it on every object.
    if (Object.hasOwn(known, name)) fields[name as K] = { key, value }
    else problems.add(key, path, `unknown field '${shown(name)}' (the fields are: ${Object.keys(known).join(', ')})`)
  }
  for (const name of required) if (!fields[name]) problems.add(node, `${path}.${name}`, 'is required')
  return fields
}
