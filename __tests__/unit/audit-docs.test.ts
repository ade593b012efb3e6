import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, auditYaml } from '../support/run-action.ts'

/** docs/audit.md, the audit action's page: its tables must say what audit/action.yml declares. */
const page = readFileSync(join(ROOT, 'docs', 'audit.md'), 'utf8')

/** Each table row under `## heading` as its cells, the first cell without backticks. */
const rows = (heading: string): string[][] =>
  (page.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '')
    .split('\n')
    .filter((line) => /^\| `/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell, index) => (index === 0 ? cell.trim().replace(/`/g, '') : cell.trim())),
    )

describe('docs/audit.md', () => {
  it('documents every input of audit/action.yml with its default, and no other', () => {
    const inputs = rows('Inputs')
    expect(inputs.map(([name]) => name)).toEqual(Object.keys(auditYaml.inputs))
    for (const [name = '', , documented = ''] of inputs) {
      expect({ name, default: documented.replace(/`/g, '') }).toEqual({
        name,
        default: auditYaml.inputs[name]?.default ?? '',
      })
    }
  })

  it('documents every output of audit/action.yml, and no other', () => {
    expect(rows('Outputs').map(([name]) => name)).toEqual(Object.keys(auditYaml.outputs))
  })

  it('gives a daily schedule with the permissions the issue needs, and the README links it', () => {
    expect(page).toMatch(/schedule:\n\s+- cron: /)
    expect(page).toMatch(/permissions:\n\s+contents: read\n\s+issues: write/)
    expect(page).toContain('uses: your-org/cloudflare-mtls-certificate-action/audit@v1')
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](docs/audit.md)')
  })
})
