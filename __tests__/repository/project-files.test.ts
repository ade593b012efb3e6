import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'
import { anchorsOf, userDocuments } from './documents.ts'

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
const readme = read('README.md')

describe('the project files', () => {
  it.each([
    ['LICENSE', 'README.md'],
    ['SECURITY.md', 'README.md'],
    ['CHANGELOG.md', 'README.md'],
    ['CONTRIBUTING.md', 'README.md'],
    ['docs/troubleshooting.md', 'README.md'],
    ['docs/reference.md', 'README.md'],
    ['docs/audit.md', 'README.md'],
    ['.env.example', 'CONTRIBUTING.md'],
    ['.github/dependabot.yml', 'CONTRIBUTING.md'],
    ['.github/workflows/codeql.yml', 'CONTRIBUTING.md'],
  ])('%s exists and %s links it', (path, from) => {
    expect(existsSync(join(ROOT, path))).toBe(true)
    expect(read(from)).toContain(`](${path})`)
  })

  it('README has a Versions section that names the pins and the major-version promise', () => {
    const versions = readme.split('\n## Versions\n')[1]?.split('\n## ')[0] ?? ''
    expect(versions).toContain('@v1')
    expect(versions).toMatch(/commit SHA/)
    expect(versions).toMatch(/Input and output names are kept/)
    expect(versions).toMatch(/only in a new major version/)
  })

  it('CONTRIBUTING.md has set-up, local debugging, releasing, the benchmark and dependency updates', () => {
    const contributing = read('CONTRIBUTING.md')
    for (const heading of ['Set-up', 'Local debugging', 'Releasing', 'Benchmark', 'Dependencies and code scanning']) {
      expect(contributing).toContain(`\n## ${heading}\n`)
    }
    expect(contributing).toContain('npm run local-action')
    expect(contributing).toContain('npm run release -- ')
    expect(contributing).toContain('npm run bench')
  })
})

describe('the documentation', () => {
  const pages = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...userDocuments().slice(1)]

  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const broken = [...read(page).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [file = '', anchor] = target.split('#')
        const path = file ? join(dirname(page), file) : page
        if (!existsSync(join(ROOT, path))) return true
        return anchor !== undefined && path.endsWith('.md') && !anchorsOf(read(path)).includes(anchor)
      })
    expect(broken).toEqual([])
  })
})

describe('package.json', () => {
  const packageJson = JSON.parse(read('package.json')) as {
    engines?: Record<string, string>
    devEngines?: { runtime?: { name: string; version: string } }
    devDependencies: Record<string, string>
  }

  // npm warns (EBADENGINE) about the project itself when the Node running npm is outside `engines`;
  // the Node the action and the tests run on is the `node` development dependency, not npm's.
  it('states the Node that development needs in devEngines, with no engines field to warn on Node 20', () => {
    expect(packageJson.engines).toBeUndefined()
    expect(packageJson.devEngines?.runtime).toMatchObject({ name: 'node', version: '>=20' })
    expect(packageJson.devDependencies.node).toMatch(/^\^24\./)
    expect(read('CONTRIBUTING.md')).toMatch(/Node 20 or later/)
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
