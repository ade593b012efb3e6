import { describe, expect, it } from 'vitest'
import type { Step } from '../../../../src/plan/step.ts'
import type { Replacement, ReplaceOutcome } from '../../../../src/replace/policy.ts'
import { sectionsHtml } from '../../../../src/render/html.ts'
import { lineText } from '../../../../src/render/words.ts'
import type { RetireData, Retired } from '../../../../src/targets/store/retire.ts'
import { reportRetire } from '../../../../src/targets/store/retire-report.ts'

const step = (when: Step['when'], forecast?: ReplaceOutcome): Step<RetireData> => ({
  target: 'store',
  action: 'retire',
  when,
  data: {
    rotation: { id: 'new-1', name: 'payments', ca: true, issuedAt: 0 },
    guards: [],
    ...(forecast ? { forecast } : {}),
  },
})
const r = (overrides: Partial<Replacement>): Replacement => ({
  id: 'old-1',
  uploadedOn: '2024-01-01T00:00:00Z',
  action: 'deleted',
  reason: 'older, not in use',
  warn: false,
  ...overrides,
})
const retired = (outcome: ReplaceOutcome, replace = true): Retired => ({ replace, outcome })
const html = (report: ReturnType<typeof reportRetire>) => sectionsHtml(report.sections).join('\n')

describe('reportRetire', () => {
  it('reports nothing but empty outputs when replace did not run (no forecast, or skipped)', () => {
    for (const report of [
      reportRetire(step('now'), undefined, 'main'),
      reportRetire(step('now'), retired({ replacements: [r({})], candidates: [] }, false), 'main'),
    ]) {
      expect(report.rows).toEqual([])
      expect(report.sections).toEqual([])
    }
    expect(reportRetire(step('now'), undefined, 'main').outputs).toEqual({
      'replaced-ids': [],
      'replace-candidates': [],
    })
  })

  it('words a forecast with "would delete", a retire row and a keep row, and replaced-ids empty', () => {
    const forecast = {
      replacements: [r({ action: 'delete' }), r({ id: 'old-2', action: 'kept', reason: 'in use' })],
      candidates: [],
    }
    const report = reportRetire(step('now', forecast), undefined, 'main')
    expect(report.rows).toEqual([
      { name: '', action: 'retire', id: 'old-1', reason: 'older, not in use' },
      { name: '', action: 'keep', id: 'old-2', reason: 'in use' },
    ])
    expect(html(report)).toContain('<h3>Other certificates named payments</h3>')
    expect(html(report)).toContain('<td>would delete</td>')
    expect(report.outputs).toEqual({ 'replaced-ids': [], 'replace-candidates': [] })
  })

  it('says a forecast for the end of the job is as things stand now, and schedules its candidates', () => {
    const forecast = { replacements: [], candidates: ['old-3'] }
    const report = reportRetire(step('end-of-job', forecast), undefined, 'main')
    expect(html(report)).toBe(
      '<p>Replace (at the end of the job, as things stand now): no older certificate with this name and CA flag was found.</p>',
    )
    expect(report.rows).toEqual([
      {
        name: '',
        action: 'retire',
        id: 'old-3',
        reason: 'at the end of the job, if no service uses it then',
        when: 'end-of-job',
      },
    ])
  })

  it('words what was deleted now, with detaches first, and lists replaced-ids', () => {
    const hostnames = { zoneId: 'z1', detach: ['a.example'], keep: ['k.example'], applied: true }
    const report = reportRetire(step('now'), retired({ replacements: [r({ hostnames })], candidates: [] }), 'main')
    expect(report.rows).toEqual([
      { name: '', action: 'detach', id: 'old-1', hostnames: ['a.example'] },
      { name: '', action: 'retire', id: 'old-1', reason: 'older, not in use' },
    ])
    expect(report.outputs['replaced-ids']).toEqual(['old-1'])
    const text = html(report)
    expect(text).toContain('<td>deleted</td>')
    expect(text).toContain('<h3>API Shield hostnames in zone <code>z1</code></h3>')
    expect(text).toContain(
      '<td><code>a.example</code></td><td>detached from the older CA</td><td><code>old-1</code></td>',
    )
    expect(text).toContain('kept on the older CA: not given to this step')
    expect(text).not.toContain('would')
    expect(report.lines.map((l) => lineText(l.parts))[0]).toMatch(/^Certificate old-1 of the same name .*deleted/)
  })

  it('says when a scheduled retire runs, with the candidates now, or none', () => {
    const some = reportRetire(step('end-of-job'), retired({ replacements: [], candidates: ['old-1', 'old-2'] }), 'main')
    expect(html(some)).toContain('no service uses then (now: <code>old-1</code>, <code>old-2</code>).')
    expect(some.outputs['replace-candidates']).toEqual(['old-1', 'old-2'])
    expect(some.rows.map((row) => row.when)).toEqual(['end-of-job', 'end-of-job'])
    const none = reportRetire(step('end-of-job'), retired({ replacements: [], candidates: [] }), 'main')
    expect(html(none)).toContain('(none now).')
  })

  it('heads the post step with the name and the new id, a table or a note that none was left', () => {
    const post = reportRetire(step('end-of-job'), retired({ replacements: [r({})], candidates: [] }), 'post')
    expect(html(post)).toContain(
      '<h3>Replace at the end of the job: certificates named payments older than <code>new-1</code></h3>',
    )
    expect(html(post)).toContain('<td><code>old-1</code></td><td>2024-01-01T00:00:00Z</td><td>deleted</td>')
    const empty = reportRetire(step('end-of-job'), retired({ replacements: [], candidates: [] }), 'post')
    expect(html(empty)).toContain('No older certificate with this name and CA flag was left.')
  })
})
