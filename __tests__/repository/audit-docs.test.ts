import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'
import { actionMetadata, documentedDefault, readText, tableNames } from './documents.ts'

const page = readText('docs/audit.md')

// Issue 17 builds audit/action.yml; until it exists there is nothing to check these tables against.
describe.skipIf(!existsSync(join(ROOT, 'audit', 'action.yml')))('docs/audit.md', () => {
  const audit = actionMetadata('audit')

  it('documents every input of audit/action.yml, and no other', () => {
    expect(tableNames(page, '## Inputs').sort()).toEqual(Object.keys(audit?.inputs ?? {}).sort())
  })

  it('documents every output of audit/action.yml, and no other', () => {
    expect(tableNames(page, '## Outputs').sort()).toEqual(Object.keys(audit?.outputs ?? {}).sort())
  })

  it('gives the defaults audit/action.yml has', () => {
    for (const [name, input] of Object.entries(audit?.inputs ?? {})) {
      expect({ name, default: documentedDefault(page, name) }).toEqual({ name, default: input.default ?? '' })
    }
  })
})
