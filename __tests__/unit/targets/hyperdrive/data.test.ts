import { describe, expect, it } from 'vitest'
import type { Step } from '../../../../src/plan/step.ts'
import type { HyperdriveData, HyperdriveDone } from '../../../../src/targets/hyperdrive/data.ts'

describe('HyperdriveData', () => {
  it('is plain data: a step and what it did round-trip through JSON', () => {
    const step: Step<HyperdriveData> = {
      target: 'hyperdrive',
      action: 'set-certificate',
      when: 'now',
      data: { role: 'client', configs: [{ id: 'a'.repeat(32), name: 'orders-db', now: 'old' }] },
    }
    const done: HyperdriveDone = [{ id: 'a'.repeat(32), name: 'orders-db', was: 'old', changed: true }]
    expect(JSON.parse(JSON.stringify(step))).toEqual(step)
    expect(JSON.parse(JSON.stringify(done))).toEqual(done)
  })
})
