import { describe, expect, it } from 'vitest'
import type { AttachPlan, HostnameAttachment } from '../../../../src/api-shield/plan.ts'
import type { Step } from '../../../../src/plan/step.ts'
import { sectionsHtml } from '../../../../src/render/html.ts'
import { lineText } from '../../../../src/render/words.ts'
import type { AttachData } from '../../../../src/targets/api-shield/data.ts'
import { reportAttach } from '../../../../src/targets/api-shield/report.ts'

const ZONE = 'z1'
const plan: AttachPlan = {
  after: ['old.example', 'a.example', 'b.example'],
  attached: ['b.example'],
  alreadyThere: ['a.example'],
}
const step = (data: Partial<AttachData> = {}): Step<AttachData> => ({
  target: 'api-shield',
  action: 'attach',
  when: 'now',
  data: { zoneId: ZONE, hostnames: ['a.example', 'b.example'], ...data },
})
const done = (p: AttachPlan = plan): HostnameAttachment => ({ ...p, zoneId: ZONE, applied: true })

describe('reportAttach', () => {
  it('words a planned attach as a dry run with "would attach", and a row for what it adds', () => {
    const report = reportAttach(step({ planned: plan }), undefined, undefined)
    expect(report.lines.map((l) => lineText(l.parts))).toEqual([
      'Dry run: would attach b.example in zone z1 to CA (not uploaded yet) (already there: a.example).',
    ])
    expect(report.rows).toEqual([{ name: '', action: 'attach', hostnames: ['b.example'] }])
    expect(report.outputs).toEqual({ hostnames: plan.after })
    const [html] = sectionsHtml(report.sections)
    expect(html).toContain('<td><code>b.example</code></td><td>would attach</td><td>this CA</td>')
    expect(html).toContain('<td><code>a.example</code></td><td>already there</td>')
    expect(html).toContain('<td><code>old.example</code></td><td>already there (not given to this step)</td>')
  })

  it('words what was attached, with the CA, and says how replace goes on at the end of the job', () => {
    const report = reportAttach(step({ retiresAtEnd: 'payments-ca' }), done(), 'ca-1')
    expect(report.lines.map((l) => lineText(l.parts))).toEqual([
      'Attached b.example in zone z1 to CA ca-1 (already there: a.example).',
    ])
    expect(report.rows).toEqual([{ name: '', action: 'attach', id: 'ca-1', hostnames: ['b.example'] }])
    const html = sectionsHtml(report.sections).join('\n')
    expect(html).toContain('<td>attached</td>')
    expect(html).not.toContain('would')
    expect(html).toContain('detaches these hostnames from the older CAs named payments-ca')
  })

  it('says a CA already serves every hostname: no row, nothing attached', () => {
    const all = { after: ['a.example'], attached: [], alreadyThere: ['a.example'] }
    const report = reportAttach(step({ hostnames: ['a.example'] }), { ...all, zoneId: ZONE, applied: false }, 'ca-1')
    expect(report.rows).toEqual([])
    expect(lineText(report.lines[0]?.parts ?? [])).toBe(
      'CA ca-1 already serves a.example in zone z1: nothing to attach.',
    )
  })

  it('without a plan (a real run before apply) shows the zone with no rows and no line', () => {
    const report = reportAttach(step(), undefined, undefined)
    expect(report.lines).toEqual([])
    expect(report.rows).toEqual([])
    expect(report.outputs).toEqual({ hostnames: [] })
    expect(report.sections[0]?.key).toBe('api-shield:z1')
  })
})
