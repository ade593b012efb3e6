import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { setOutputs } from '../../../src/action/outputs.ts'

afterEach(() => {
  vi.unstubAllEnvs()
})

it('writes each field as an output in the runner output file: strings as they are, others as JSON', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'output')
  writeFileSync(file, '')
  vi.stubEnv('GITHUB_OUTPUT', file)
  setOutputs({ 'certificate-id': 'abc', created: false, ids: ['a', 'b'] })
  const written = readFileSync(file, 'utf8')
  const value = (name: string): string | undefined =>
    new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(written)?.[2]
  expect(value('certificate-id')).toBe('abc')
  expect(value('created')).toBe('false')
  expect(value('ids')).toBe('["a","b"]')
})

it('writes nothing for an empty object', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'outputs-')), 'output')
  writeFileSync(file, '')
  vi.stubEnv('GITHUB_OUTPUT', file)
  setOutputs({})
  expect(readFileSync(file, 'utf8')).toBe('')
})
