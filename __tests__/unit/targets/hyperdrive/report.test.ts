import { describe, expect, it } from 'vitest'
import { NEW_CERTIFICATE_TEXT, type Step } from '../../../../src/plan/step.ts'
import type { HyperdriveData } from '../../../../src/targets/hyperdrive/data.ts'
import { reportHyperdrive } from '../../../../src/targets/hyperdrive/report.ts'
import { lineText } from '../../../../src/render/words.ts'

const step = (now?: string): Step<HyperdriveData> => ({
  target: 'hyperdrive',
  action: 'set-certificate',
  when: 'now',
  data: { role: 'ca', configs: [{ id: 'c'.repeat(32), name: 'orders-db', ...(now ? { now } : {}) }] },
})

describe('reportHyperdrive', () => {
  it('plans an attach row for a config that uses another certificate, with the placeholder before an upload', () => {
    const report = reportHyperdrive(step('old-id'), undefined, undefined)
    expect(report.rows).toEqual([
      { name: '', action: 'attach', id: NEW_CERTIFICATE_TEXT, consumer: 'Hyperdrive orders-db (CA)', oldId: 'old-id' },
    ])
    expect(report.lines.map((line) => lineText(line.parts))).toEqual([
      `Hyperdrive orders-db (CA): would attach ${NEW_CERTIFICATE_TEXT} (it used old-id).`,
    ])
  })

  it('plans nothing for a config that uses the certificate already', () => {
    const report = reportHyperdrive(step('same'), undefined, 'same')
    expect(report.rows).toEqual([])
    expect(report.sections[0]?.table?.rows[0]?.[3]).toBe('unchanged')
  })

  it('reports what apply set, in the past tense', () => {
    const report = reportHyperdrive(
      step('old-id'),
      [{ id: 'c'.repeat(32), name: 'orders-db', was: 'old-id', changed: true }],
      'new-id',
    )
    expect(report.lines.map((line) => lineText(line.parts))).toEqual([
      'Hyperdrive orders-db (CA): attached new-id (it used old-id).',
    ])
  })
})
