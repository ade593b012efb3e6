import { describe, expect, it } from 'vitest'
import { CHANGE_ACTIONS, PLAN_ACTIONS, emptyReport, outcomeLines, type Report } from '../../../src/core/report.ts'

describe('emptyReport', () => {
  it('is empty', () => {
    expect(emptyReport()).toEqual({ rows: [], sections: [], outputs: {}, lines: [] })
  })

  it('is a fresh value each time: filling one leaves the next empty', () => {
    const first: Report = emptyReport()
    first.rows.push({ name: 'a', action: 'upload' })
    first.outputs.x = 'y'
    first.lines.push({ level: 'info', parts: ['z'] })
    expect(emptyReport()).toEqual({ rows: [], sections: [], outputs: {}, lines: [] })
  })
})

describe('PLAN_ACTIONS', () => {
  it("names each action once, as the plan output's rows use them", () => {
    expect(new Set(PLAN_ACTIONS).size).toBe(PLAN_ACTIONS.length)
    expect(PLAN_ACTIONS).toEqual([
      'upload',
      'reuse',
      'attach',
      'detach',
      'write-binding',
      'deploy',
      'rename',
      'retire',
      'keep',
      'note',
    ])
  })

  it('counts as a change what differs in Cloudflare, never the checkout or a note', () => {
    expect([...CHANGE_ACTIONS].sort()).toEqual(['attach', 'deploy', 'detach', 'rename', 'retire', 'upload'])
  })
})

describe('outcomeLines', () => {
  it("gives a step's lines as info, then its warnings, and none for a step not carried out", () => {
    expect(outcomeLines({ lines: ['Did it.'], warnings: ['Careful.'] })).toEqual([
      { level: 'info', parts: ['Did it.'] },
      { level: 'warning', parts: ['Careful.'] },
    ])
    expect(outcomeLines(undefined)).toEqual([])
    expect(outcomeLines({})).toEqual([])
  })
})
