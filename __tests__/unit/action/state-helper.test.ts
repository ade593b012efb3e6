import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SavedStateError, loadFromMainStep, saveForPostStep } from '../../../src/action/state-helper.ts'

/**
 * What the main step saves reaches the post step as the runner hands it on: STATE_<name> variables,
 * each of which Linux limits to 128 KiB. The value goes to a file in RUNNER_TEMP; the state names it.
 */

let runnerTemp: string
let stateFile: string

beforeEach(() => {
  runnerTemp = mkdtempSync(join(tmpdir(), 'runner-temp-'))
  stateFile = join(mkdtempSync(join(tmpdir(), 'state-')), 'state')
  writeFileSync(stateFile, '')
  vi.stubEnv('RUNNER_TEMP', runnerTemp)
  vi.stubEnv('GITHUB_STATE', stateFile)
})

afterEach(() => {
  vi.unstubAllEnvs()
})

/** What the runner does between the steps: GITHUB_STATE's entries become STATE_<name> variables. */
function handOn(): Record<string, string> {
  const state: Record<string, string> = {}
  for (const match of readFileSync(stateFile, 'utf8').matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    state[match[1] ?? ''] = match[3] ?? ''
    vi.stubEnv(`STATE_${match[1]}`, match[3] ?? '')
  }
  return state
}

const savedFile = (): string => (JSON.parse(handOn().rotation ?? '{}') as { file: string }).file

describe('saveForPostStep and loadFromMainStep', () => {
  it('writes the JSON to a file of RUNNER_TEMP only its owner reads, and the post step gets it back', () => {
    saveForPostStep('rotation', [{ id: 'a' }])
    const state = handOn()
    const pointer = JSON.parse(state.rotation ?? '') as { file: string; sha256: string }
    expect(pointer.file.startsWith(runnerTemp)).toBe(true)
    expect(pointer.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(readFileSync(pointer.file, 'utf8')).toBe('[{"id":"a"}]')
    if (process.platform !== 'win32') expect(statSync(pointer.file).mode & 0o777).toBe(0o600)
    expect(loadFromMainStep('rotation')).toBe('[{"id":"a"}]')
  })

  it('keeps the state small whatever is saved: 170 KB saved (over the 128 KiB an environment variable can hold), a state of about 200 bytes', () => {
    const big = Array.from({ length: 3_000 }, (_, i) => ({ id: i.toString(16).padStart(32, '0'), name: `n${i}` }))
    saveForPostStep('rotation', big)
    const state = handOn()
    expect(JSON.stringify(big).length).toBeGreaterThan(128 * 1024)
    expect(state.rotation?.length).toBeLessThan(400)
    expect(JSON.parse(loadFromMainStep('rotation') ?? '')).toEqual(big)
  })

  it('gives each save its own file, so two steps of one job never share one', () => {
    saveForPostStep('rotation', 1)
    saveForPostStep('rotation', 2)
    expect(readdirSync(runnerTemp)).toHaveLength(2)
  })

  it('loads nothing when the main step saved nothing', () => {
    vi.stubEnv('STATE_rotation', '')
    expect(loadFromMainStep('rotation')).toBeUndefined()
    expect(loadFromMainStep('never-saved')).toBeUndefined()
  })

  it.each([
    [
      'the file was changed',
      (file: string) => {
        writeFileSync(file, '[{"id":"b"}]')
      },
      /was changed after the main step/,
    ],
    [
      'the file is missing',
      (file: string) => {
        rmSync(file)
      },
      /missing or cannot be read/,
    ],
  ])('refuses the saved value when %s', (_, change, message) => {
    saveForPostStep('rotation', [{ id: 'a' }])
    change(savedFile())
    expect(() => loadFromMainStep('rotation')).toThrow(SavedStateError)
    expect(() => loadFromMainStep('rotation')).toThrow(message)
  })

  it('refuses a file outside RUNNER_TEMP, named directly or through a link inside it', () => {
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'elsewhere-')), 'rotation.json')
    writeFileSync(elsewhere, '[]')
    const digest = '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' // sha256 of "[]"
    vi.stubEnv('STATE_rotation', JSON.stringify({ file: elsewhere, sha256: digest }))
    expect(() => loadFromMainStep('rotation')).toThrow(/not in the job's temporary folder/)
    const link = join(runnerTemp, 'link.json')
    symlinkSync(elsewhere, link)
    vi.stubEnv('STATE_rotation', JSON.stringify({ file: link, sha256: digest }))
    expect(() => loadFromMainStep('rotation')).toThrow(/not in the job's temporary folder/)
  })

  it.each(['[{"id":"a"}]', '{"file":"relative.json","sha256":"00"}', '{"file":"/tmp/x"}', 'not json'])(
    'refuses a state that does not name a file and its digest: %s',
    (state) => {
      vi.stubEnv('STATE_rotation', state)
      expect(() => loadFromMainStep('rotation')).toThrow(/does not name a file and its SHA-256 digest/)
    },
  )
})
