import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/run-action.ts'

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
const readme = read('README.md')

describe('the project files', () => {
  it.each([
    'LICENSE',
    'SECURITY.md',
    'CHANGELOG.md',
    '.env.example',
    '.github/dependabot.yml',
    '.github/workflows/codeql.yml',
  ])('%s exists and the README links it', (path) => {
    expect(existsSync(join(ROOT, path))).toBe(true)
    expect(readme).toContain(`](${path})`)
  })

  it('README has a Versions section that names the pins and the major-version promise', () => {
    const versions = readme.split('\n## Versions\n')[1]?.split('\n## ')[0] ?? ''
    expect(versions).toContain('@v1')
    expect(versions).toMatch(/commit SHA/)
    expect(versions).toMatch(/Input and output names are kept/)
    expect(versions).toMatch(/only in a new major version/)
  })

  it('README has Local debugging and Releasing under Development', () => {
    const development = readme.split('\n## Development\n')[1]?.split('\n## ')[0] ?? ''
    expect(development).toContain('\n### Local debugging\n')
    expect(development).toContain('npm run local-action')
    expect(development).toContain('\n### Releasing\n')
    expect(development).toContain('npm run release -- ')
  })
})

describe('CHANGELOG.md', () => {
  const changelog = read('CHANGELOG.md')
  const headings = [...changelog.matchAll(/^## (.*)$/gm)].map((match) => match[1] ?? '')
  const version = (JSON.parse(read('package.json')) as { version: string }).version

  it('keeps an Unreleased section first', () => {
    expect(headings[0]).toBe('[Unreleased]')
  })

  it("has a dated section for package.json's version, as npm run release requires", () => {
    expect(headings).toContainEqual(
      expect.stringMatching(new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`)),
    )
  })

  it('lists versions newest first, each with a date', () => {
    const released = headings.slice(1).map((heading) => /^\[(\d+)\.(\d+)\.(\d+)\] - \d{4}-\d{2}-\d{2}$/.exec(heading))
    expect(released.every(Boolean)).toBe(true)
    const numbers = released.map((match) => Number(match?.[1]) * 1e6 + Number(match?.[2]) * 1e3 + Number(match?.[3]))
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a))
  })

  it('uses only the Keep a Changelog kinds of change', () => {
    const kinds = [...changelog.matchAll(/^### (.*)$/gm)].map((match) => match[1])
    for (const kind of kinds) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(kind)
  })
})
