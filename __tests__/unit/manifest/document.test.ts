import { describe, expect, it } from 'vitest'
import { isMap, type Node, type YAMLMap } from 'yaml'
import { InputError } from '../../../src/core/errors.ts'
import {
  ManifestError,
  knownFields,
  listOf,
  pairsOf,
  parseManifestYaml,
  shown,
  valueOf,
} from '../../../src/manifest/document.ts'

const parsed = (text: string) => {
  const { root, problems } = parseManifestYaml(text, 'm.yml')
  if (!root) throw new Error(`not parsed: ${problems.list.join(' ')}`)
  return { root, problems }
}
const field = (root: YAMLMap, name: string) => root.get(name, true) as Node | null

describe('parseManifestYaml', () => {
  it('gives the top-level map and no problems', () => {
    const { root, problems } = parseManifestYaml('version: 1\ncertificates: []\n', 'm.yml')
    expect(isMap(root)).toBe(true)
    expect(problems.list).toEqual([])
  })

  it('reports a document that is not a map, and a duplicate key with its line', () => {
    expect(parseManifestYaml('- a\n', 'm.yml').problems.list).toEqual([
      'm.yml:1: the manifest must be a map with version: 1 and certificates: [...]',
    ])
    const duplicate = parseManifestYaml('version: 1\nversion: 2\n', 'm.yml')
    expect(duplicate.root).toBeUndefined()
    expect(duplicate.problems.list).toHaveLength(1)
    expect(duplicate.problems.list[0]).toMatch(/^m\.yml:2: /)
  })

  it('refuses %YAML 1.1, whose yes and on are booleans', () => {
    const { root, problems } = parseManifestYaml('%YAML 1.1\n---\nversion: 1\n', 'm.yml')
    expect(root).toBeUndefined()
    expect(problems.list).toEqual([
      'm.yml:1: YAML: %YAML 1.1 is not read: a manifest is YAML 1.2, whose only booleans are true and false (yes, no, on and off are strings). Remove the %YAML line, and write true or false',
    ])
  })
})

describe('Problems and ManifestError', () => {
  it('number every problem in one InputError, with file and line', () => {
    const { root, problems } = parsed('version: 1\nname: x\n')
    problems.add(field(root, 'name'), 'certificates[0].name', 'is wrong')
    problems.add(7, '', 'YAML: bad')
    expect(problems.list).toEqual(['m.yml:2: certificates[0].name: is wrong', 'm.yml:7: YAML: bad'])
    let thrown: unknown
    try {
      problems.throwIfAny()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ManifestError)
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as ManifestError).message).toBe(
      'The manifest m.yml has 2 problems, so nothing was sent: (1) m.yml:2: certificates[0].name: is wrong (2) m.yml:7: YAML: bad',
    )
  })

  it('collect an InputError without the input it names, and let any other error through', () => {
    const { problems } = parsed('a: 1\n')
    expect(problems.collect(3, 'certificates[0].zone-id', () => 'ok')).toBe('ok')
    const failing = (): string => {
      throw new InputError("Input 'zone-id' must be 32 hex characters.")
    }
    expect(problems.collect(3, 'certificates[0].zone-id', failing)).toBeUndefined()
    expect(problems.list).toEqual(['m.yml:3: certificates[0].zone-id: must be 32 hex characters.'])
    const buggy = (): string => {
      throw new TypeError('bug')
    }
    expect(() => problems.collect(3, 'x', buggy)).toThrow(TypeError)
  })
})

describe('valueOf', () => {
  it('reads each type, a string trimmed, and digits for a string as written', () => {
    const { root, problems } = parsed("name: ' x '\nca: true\nversion: 1\nzone: 0123\n")
    expect(valueOf('string', field(root, 'name'), 'name', problems)).toBe('x')
    expect(valueOf('boolean', field(root, 'ca'), 'ca', problems)).toBe(true)
    expect(valueOf('integer', field(root, 'version'), 'version', problems)).toBe(1)
    expect(valueOf('string', field(root, 'zone'), 'zone', problems)).toBe('0123')
    expect(problems.list).toEqual([])
  })

  it('says what was expected and what came', () => {
    const { root, problems } = parsed("ca: yes\nversion: 1.5\nname: '  '\nlist: [a]\nnone:\n")
    valueOf('boolean', field(root, 'ca'), 'ca', problems)
    valueOf('integer', field(root, 'version'), 'version', problems)
    valueOf('string', field(root, 'name'), 'name', problems)
    valueOf('string', field(root, 'list'), 'list', problems)
    valueOf('string', field(root, 'none'), 'none', problems, null)
    expect(problems.list).toEqual([
      'm.yml:1: ca: must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE), got a string (yes)',
      'm.yml:2: version: must be a whole number, got a number (1.5)',
      'm.yml:3: name: is empty',
      'm.yml:4: list: must be a string, got a list',
      'm.yml:1: none: must be a string, got empty',
    ])
  })
})

describe('listOf, pairsOf and knownFields', () => {
  it('read a list, or say what came instead', () => {
    const { root, problems } = parsed('hosts: [a, b]\nother: x\n')
    expect(listOf(field(root, 'hosts'), 'string-list', 'hosts', problems)).toHaveLength(2)
    expect(listOf(field(root, 'other'), 'string-list', 'other', problems)).toBeUndefined()
    expect(problems.list).toEqual(['m.yml:2: other: must be a list of strings, got a string'])
  })

  it('report keys that are not names, unknown fields (inherited names among them) and missing required ones', () => {
    const { root, problems } = parsed('1: a\n__proto__: x\nname: n\n')
    expect(pairsOf(root, 'entry', problems).map(([name]) => name)).toEqual(['__proto__', 'name'])
    const fresh = parsed('toString: x\nname: n\n')
    const fields = knownFields(fresh.root, { name: 1, ca: 1 }, ['name', 'ca'], 'certificates[0]', fresh.problems)
    expect(Object.keys(fields ?? {})).toEqual(['name'])
    expect(fresh.problems.list).toEqual([
      "m.yml:1: certificates[0]: unknown field 'toString' (the fields are: name, ca)",
      'm.yml:1: certificates[0].ca: is required',
    ])
    expect(problems.list).toEqual(['m.yml:1: entry: every key must be a field name'])
  })
})

describe('shown', () => {
  it('quotes a value printably, cut with an ellipsis', () => {
    expect(shown('abc')).toBe('abc')
    expect(shown('a\nb')).toBe('a\\nb')
    expect(shown('x'.repeat(70))).toBe(`${'x'.repeat(59)}…`)
    expect(shown('abcdef', 4)).toBe('abc…')
  })
})
