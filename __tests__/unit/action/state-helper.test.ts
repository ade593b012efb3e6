import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadFromMainStep, saveForPostStep } from '../../../src/action/state-helper.ts'

/** What the main step saves reaches the post step as the runner hands it on: STATE_<name> variables. */

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('saveForPostStep and loadFromMainStep', () => {
  it('saves the value as JSON in the runner state file, and loads the text the runner hands back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'state')
    writeFileSync(file, '')
    vi.stubEnv('GITHUB_STATE', file)
    saveForPostStep('rotation', [{ id: 'a' }])
    const saved = readFileSync(file, 'utf8')
    expect(saved).toContain('rotation<<')
    expect(saved).toContain('[{"id":"a"}]')
    vi.stubEnv('STATE_rotation', '[{"id":"a"}]')
    expect(loadFromMainStep('rotation')).toBe('[{"id":"a"}]')
  })

  it('loads nothing when the main step saved nothing', () => {
    vi.stubEnv('STATE_rotation', '')
    expect(loadFromMainStep('rotation')).toBeUndefined()
    expect(loadFromMainStep('never-saved')).toBeUndefined()
  })
})
