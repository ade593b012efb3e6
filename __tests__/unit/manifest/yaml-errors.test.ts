import { parseDocument } from 'yaml'
import { describe, expect, it } from 'vitest'
import { yamlErrors } from '../../../src/manifest/yaml-errors.ts'

const errorsOf = (text: string): [number, string][] => yamlErrors(parseDocument(text, { uniqueKeys: true }))

describe('yamlErrors', () => {
  it('reports the first structural error alone, not the misreadings that follow it', () => {
    const text = 'a:\n  b: 1\n    c: 2\n  d: 3\n   e: 4\n'
    expect(parseDocument(text).errors.length).toBeGreaterThan(1)
    expect(errorsOf(text)).toEqual([
      [2, expect.stringMatching(/^YAML: .*: a line below this one is indented more than it.*once it is fixed\)$/)],
    ])
  })

  it('reports each tab on its own line, with the fix', () => {
    expect(errorsOf('a:\n\tb: 1\nc:\n\td: 2\n')).toEqual([
      [
        2,
        expect.stringMatching(
          /tabs cannot indent YAML: use spaces \(the lines after it are checked once it is fixed\)$/,
        ),
      ],
      [4, expect.stringMatching(/tabs cannot indent YAML: use spaces$/)],
    ])
  })

  it('keeps an error before the first structural one, and none for valid YAML', () => {
    expect(errorsOf('a: 1\na: 2\n')).toEqual([[2, 'YAML: Map keys must be unique']])
    expect(errorsOf('a: [1, 2]\n')).toEqual([])
  })
})
