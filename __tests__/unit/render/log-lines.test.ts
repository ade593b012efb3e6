import { afterEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { logLines } from '../../../src/render/log-lines.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('logLines', () => {
  it('writes each line at its level, in order, its cells worded', () => {
    const written: string[] = []
    for (const level of ['info', 'notice', 'warning'] as const)
      vi.spyOn(log, level).mockImplementation((message: string) => {
        written.push(`${level}: ${message}`)
      })
    logLines([
      { level: 'info', parts: [{ verb: 'attach', done: false }, ' a.example'] },
      { level: 'warning', parts: ['reused as ', { code: 'id-1' }] },
      { level: 'notice', parts: [{ verb: 'upload', done: true, form: 'past' }, '.'] },
    ])
    expect(written).toEqual(['info: Would attach a.example', 'warning: Reused as id-1', 'notice: Uploaded.'])
  })
})
