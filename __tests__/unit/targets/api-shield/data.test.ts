import { describe, expect, it } from 'vitest'
import type { Step } from '../../../../src/plan/step.ts'
import type { AttachData } from '../../../../src/targets/api-shield/data.ts'
import { reportAttach } from '../../../../src/targets/api-shield/report.ts'

describe('AttachData', () => {
  it('is plain data: a planned attach round-trips through JSON and reads the same', () => {
    const data: AttachData = {
      zoneId: 'z1',
      hostnames: ['a.example'],
      retiresAtEnd: 'payments-ca',
      planned: { after: ['a.example'], attached: ['a.example'], alreadyThere: [] },
    }
    const step: Step<AttachData> = { target: 'api-shield', action: 'attach', when: 'now', data }
    const back = JSON.parse(JSON.stringify(step)) as Step<AttachData>
    expect(back).toEqual(step)
    expect(reportAttach(back, undefined, undefined)).toEqual(reportAttach(step, undefined, undefined))
  })
})
