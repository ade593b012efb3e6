import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, actionYaml } from '../support/run-action.ts'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The first column of the Markdown table under a `## heading`. */
function tableNames(heading: string): string[] {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  return [...section.matchAll(/^\| `([a-z0-9-]+)` *\|/gm)].map((match) => match[1] ?? '')
}

describe('the README', () => {
  it('documents every input of action.yml, and no other', () => {
    expect(tableNames('Inputs')).toEqual(Object.keys(actionYaml.inputs))
  })

  it('documents every output of action.yml, and no other', () => {
    expect(tableNames('Outputs')).toEqual(Object.keys(actionYaml.outputs))
  })

  it('gives the defaults action.yml has', () => {
    for (const [name, input] of Object.entries(actionYaml.inputs)) {
      const row = readme.split('\n').find((line) => new RegExp(`^\\| \`${name}\` *\\|`).test(line)) ?? ''
      const documented = row.split('|')[3]?.trim().replace(/`/g, '') ?? ''
      expect({ name, default: documented }).toEqual({ name, default: input.default ?? '' })
    }
  })

  it('names the test command that .ci/run runs', () => {
    expect(readme).toContain('npm test ')
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m)
  })
})
