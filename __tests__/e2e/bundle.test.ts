import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'

const dist = join(ROOT, 'dist')
const scripts = readdirSync(dist).filter((file) => file.endsWith('.js'))
const occurrences = (source: string, text: string): number => source.split(text).length - 1

describe('the committed bundle', () => {
  it('is one ES module, as action.yml runs it', () => {
    expect(scripts).toEqual(['index.js'])
    expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it('has the audit action in its own folder, one ES module too', () => {
    const audit = join(dist, 'audit')
    expect(readdirSync(audit).filter((file) => file.endsWith('.js'))).toEqual(['index.js'])
    // dist/package.json's "type": "module" covers the sub-folder as well.
    expect(JSON.parse(readFileSync(join(audit, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    expect(statSync(join(audit, 'index.js')).size).toBeLessThanOrEqual(1024 * 1024)
  })

  it('stays within the 1 MiB budget', () => {
    const bytes = scripts.reduce((total, file) => total + statSync(join(dist, file)).size, 0)
    expect(bytes).toBeLessThanOrEqual(1024 * 1024)
  })

  it('holds one copy of undici, shared with the toolkit', () => {
    // A second major of undici (a direct undici 7 beside the toolkit's 6) would add a whole copy.
    const source = scripts.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n')
    expect(occurrences(source, 'undici.globalDispatcher.1')).toBe(1)
    expect(occurrences(source, 'when HTTP Tunneling')).toBe(1)
  })

  it('lists every bundled package in licenses.txt', () => {
    const licenses = readFileSync(join(dist, 'licenses.txt'), 'utf8')
    const listed = new Set(licenses.split('\n').filter((line) => /^(@[\w.-]+\/)?[\w.-]+$/.test(line)))
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    for (const name of [...Object.keys(dependencies), '@octokit/core', '@octokit/request']) {
      expect(listed).toContain(name)
    }
  })
})
