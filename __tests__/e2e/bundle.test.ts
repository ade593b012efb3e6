import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../support/run-action.ts'

const dist = join(ROOT, 'dist')
const scripts = readdirSync(dist).filter((file) => file.endsWith('.js'))

describe('the committed bundle', () => {
  it('is one ES module, as action.yml runs it', () => {
    expect(scripts).toEqual(['index.js'])
    expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it('stays within the 700 KiB budget', () => {
    const bytes = scripts.reduce((total, file) => total + statSync(join(dist, file)).size, 0)
    expect(bytes).toBeLessThanOrEqual(700 * 1024)
  })

  it('is plain ASCII, so that V8 keeps its source as one-byte text', () => {
    // One non-ASCII character (a typographic quote in a message) doubles the source's size in memory.
    const source = readFileSync(join(dist, 'index.js'), 'latin1')
    expect(source.match(/[\x80-\xff].{0,20}/g) ?? []).toEqual([])
  })
})
