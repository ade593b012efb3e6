import { describe, expect, it, vi } from 'vitest'
import { NEW_CERTIFICATE, type Step } from '../../../src/plan/step.ts'
import type { Report } from '../../../src/core/report.ts'

/** The registry replaced by targets whose reports say what they were asked. */
vi.mock('../../../src/targets/registry.ts', () => {
  const part = (text: string, outputs: Record<string, string>): Report => ({
    rows: [{ name: 'ignored', action: 'keep', reason: text }],
    sections: [{ paragraphs: [[text]] }],
    lines: [{ level: 'info', parts: [text] }],
    outputs,
  })
  const store = {
    name: 'store',
    certificateOf: (step: Step) => (step.data === 'upload' ? NEW_CERTIFICATE : (step.data as string)),
    report: (step: Step, outcome: unknown, _entry: unknown, phase: string) =>
      part(`store ${step.action} ${String(outcome)} ${phase}`, { [step.action]: String(outcome) }),
  }
  const use = {
    name: 'use',
    report: (step: Step, outcome: unknown, certificateId: string | undefined) =>
      part(`use ${String(outcome)} for ${certificateId ?? 'none'}`, { use: 'x' }),
  }
  return { storeNamed: (name: string | undefined) => (name === store.name ? store : undefined), useTarget: () => use }
})

const { entryReport } = await import('../../../src/pipeline/entry-report.ts')

const steps = (placement: string): Step[] => [
  { target: 'store', action: 'place', when: 'now', data: placement },
  { target: 'use', action: 'attach', when: 'now', data: 'u' },
  { target: 'store', action: 'retire', when: 'end-of-job', data: 'r' },
]

describe('entryReport', () => {
  it("joins each step's report in order, its rows named for the entry", () => {
    const report = entryReport({ name: 'payments', steps: steps('id-1') }, undefined, 'main')
    expect(report.rows.map((r) => [r.name, r.reason])).toEqual([
      ['payments', 'store place undefined main'],
      ['payments', 'use undefined for id-1'],
      ['payments', 'store retire undefined main'],
    ])
    expect(report.sections).toHaveLength(3)
    expect(report.lines).toHaveLength(3)
    expect(report.outputs).toEqual({ place: 'undefined', use: 'x', retire: 'undefined' })
  })

  it('gives a planned upload no certificate id, and an applied one the id it was placed as', () => {
    const planned = entryReport({ name: 'a', steps: steps('upload') }, undefined, 'main')
    expect(planned.rows[1]?.reason).toBe('use undefined for none')
    const applied = entryReport(
      { name: 'a', steps: steps('upload') },
      [{ certificate: { id: 'new-1' } }, 'ok', 'gone'],
      'main',
    )
    expect(applied.rows[1]?.reason).toBe('use ok for new-1')
  })

  it('leaves out the steps not reached', () => {
    const report = entryReport({ name: 'a', steps: steps('upload') }, [{ certificate: { id: 'new-1' } }], 'main')
    expect(report.rows).toHaveLength(1)
    expect(report.outputs).toEqual({ place: '[object Object]' })
  })

  it("passes the phase to the store's report", () => {
    const report = entryReport({ name: 'p', steps: [steps('x')[2] as Step] }, ['done'], 'post')
    expect(report.rows).toEqual([{ name: 'p', action: 'keep', reason: 'store retire done post' }])
  })
})
