import { describe, expect, it } from 'vitest'
import type { Step } from '../../../../src/plan/step.ts'
import { lineText } from '../../../../src/render/words.ts'
import { sectionsHtml } from '../../../../src/render/html.ts'
import type { BindingsData } from '../../../../src/targets/workers/data.ts'
import { reportBindings } from '../../../../src/targets/workers/report.ts'
import type { BindingEdits } from '../../../../src/wrangler/edits.ts'

const edits = (newId: string, entries: { section: string; oldId?: string }[], changed = true): BindingEdits =>
  ({
    id: newId,
    files: [{ config: 'w/wrangler.toml', binding: 'CERT', changed, entries: entries.map((e) => ({ ...e, newId })) }],
  }) as unknown as BindingEdits

const step = (planned: BindingEdits, unnamed: string[] = []): Step<BindingsData> => ({
  target: 'workers',
  action: 'write-bindings',
  when: 'now',
  data: { configs: [], planned, scope: ['payments'], unnamed, sections: [] },
})

describe('reportBindings', () => {
  it('words a plan with "would write", a row per entry that changes, and no file written', () => {
    const report = reportBindings(
      step(edits('(new)', [{ section: 'top level', oldId: 'old' }, { section: 'env.x' }])),
      undefined,
    )
    expect(report.lines.map((l) => lineText(l.parts))).toEqual([
      "Wrangler 'w/wrangler.toml' (top level, binding CERT): would write certificate_id old → (new).",
      "Wrangler 'w/wrangler.toml' (env.x, binding CERT): would write certificate_id (none) → (new).",
    ])
    expect(report.rows).toEqual([
      {
        name: '',
        action: 'write-binding',
        config: 'w/wrangler.toml',
        section: 'top level',
        oldId: 'old',
        newId: '(new)',
      },
      { name: '', action: 'write-binding', config: 'w/wrangler.toml', section: 'env.x', oldId: '', newId: '(new)' },
    ])
    expect(report.outputs).toEqual({ 'wrangler-configs': [] })
    expect(sectionsHtml(report.sections)[0]).toContain('<td>would write</td>')
  })

  it('words what was written from the done edits, and lists the files written', () => {
    const done = { edits: edits('new-1', [{ section: 'top level', oldId: 'old' }]), written: ['w/wrangler.toml'] }
    const report = reportBindings(step(edits('(new)', [{ section: 'top level', oldId: 'old' }])), done)
    expect(lineText(report.lines[0]?.parts ?? [])).toBe(
      "Wrangler 'w/wrangler.toml' (top level, binding CERT): wrote certificate_id old → new-1.",
    )
    expect(report.rows[0]?.newId).toBe('new-1')
    expect(report.outputs).toEqual({ 'wrangler-configs': ['w/wrangler.toml'] })
    expect(sectionsHtml(report.sections)[0]).toContain('<td>written</td>')
  })

  it('says an entry already holds the id, with no row, and explains a section that names no Worker', () => {
    const report = reportBindings(
      step(edits('same', [{ section: 'top level', oldId: 'same' }], false), ['top level of w/wrangler.toml']),
      undefined,
    )
    expect(report.rows).toEqual([])
    expect(report.lines.map((l) => lineText(l.parts))).toEqual([
      expect.stringMatching(/^Wrangler top level of w\/wrangler\.toml binds the certificate but names no Worker/),
      "Wrangler 'w/wrangler.toml' (top level, binding CERT): certificate_id already holds it, same.",
    ])
    expect(sectionsHtml(report.sections)[0]).toContain('<td>unchanged</td>')
  })

  it('makes hostile text in a file name inert in the log', () => {
    const hostile = edits('id', [{ section: 'top\nlevel', oldId: 'a\r\n::error::x' }])
    const [line] = reportBindings(step(hostile), undefined).lines
    expect(lineText(line?.parts ?? [])).not.toMatch(/[\r\n]/)
  })
})
