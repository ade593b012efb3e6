import { describe, expect, it } from 'vitest'
import type { Step } from '../../../../src/plan/step.ts'
import type { BindingsData, BindingsDone } from '../../../../src/targets/workers/data.ts'
import { reportBindings } from '../../../../src/targets/workers/report.ts'

describe('BindingsData', () => {
  it('is plain data: a step round-trips through JSON and reads the same', () => {
    const data: BindingsData = {
      configs: [{ config: 'wrangler.toml', binding: 'CERT' }],
      planned: { id: 'x', files: [] },
      scope: 'every',
      unnamed: ['top level of wrangler.toml'],
      sections: [{ config: 'wrangler.toml', section: 'top level', binding: 'CERT', worker: 'payments' }],
    }
    const step: Step<BindingsData> = { target: 'workers', action: 'write-bindings', when: 'now', data }
    const back = JSON.parse(JSON.stringify(step)) as Step<BindingsData>
    expect(back).toEqual(step)
    expect(reportBindings(back, undefined)).toEqual(reportBindings(step, undefined))
  })

  it('gives what was written, apart from what was planned', () => {
    const done: BindingsDone = { edits: { id: 'new', files: [] }, written: ['a.toml'] }
    expect(JSON.parse(JSON.stringify(done))).toEqual(done)
  })
})
