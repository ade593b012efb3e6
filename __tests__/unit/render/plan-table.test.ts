import { describe, expect, it } from 'vitest'
import {
  countChanges,
  planMarker,
  renderPlanHtml,
  renderPlanMarkdown,
  type PlanRow,
} from '../../../src/render/plan-table.ts'

const ROWS: PlanRow[] = [
  { name: 'payments-client', action: 'upload', reason: 'not in the account' },
  {
    name: 'payments-client',
    action: 'write-binding',
    config: 'workers/wrangler.jsonc',
    section: 'env.staging',
    oldId: 'old-1',
    newId: 'new-1',
  },
  { name: 'api-clients-ca', action: 'reuse', id: 'id-ca' },
  { name: 'api-clients-ca', action: 'attach', id: 'id-ca', hostnames: ['api.example.com'] },
  { name: 'api-clients-ca', action: 'keep', id: 'id-old', reason: 'in use by api_shield' },
  { name: 'old', action: 'retire', id: 'id-gone' },
  { name: 'old', action: 'detach', hostnames: ['b.example.com'] },
]

describe('countChanges', () => {
  it("counts what differs in Cloudflare: not a reuse, a keep, or the checkout's write-binding", () => {
    expect(countChanges(ROWS)).toBe(4)
    expect(countChanges(ROWS.filter((r) => r.action === 'write-binding'))).toBe(0)
    expect(countChanges(ROWS.filter((r) => r.action === 'reuse' || r.action === 'keep'))).toBe(0)
  })
})

describe('renderPlanMarkdown', () => {
  it('starts with the marker and holds one row per plan row, in one table', () => {
    const text = renderPlanMarkdown(ROWS, 'deploy/manifest.yml')
    expect(text.startsWith(`${planMarker('deploy/manifest.yml')}\n`)).toBe(true)
    expect(text).toContain('4 changes to make.')
    const rows = text.split('\n').filter((line) => line.startsWith('| '))
    expect(rows).toHaveLength(ROWS.length + 2)
    expect(rows[3]).toBe(
      '| `payments-client` | `write-binding` | `new-1` | `workers/wrangler.jsonc (env.staging)` | `was old-1` |',
    )
    expect(renderPlanMarkdown([], 'm.yml')).toContain('No changes')
  })

  it('gives a marker that a path cannot break out of', () => {
    const marker = planMarker('evil --> <b>x</b>\n.yml')
    expect(marker.match(/-->/g)).toHaveLength(1)
    expect(marker.endsWith(' -->')).toBe(true)
    expect(marker).not.toContain('\n')
    expect(planMarker('a.yml')).not.toBe(planMarker('b.yml'))
  })
})

describe('renderPlanHtml', () => {
  it('escapes every value', () => {
    const html = renderPlanHtml([{ name: '<script>x</script>', action: 'upload', reason: 'a\n\nb | c' }])
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).not.toContain('\n\n')
    expect(html.match(/<table>/g)).toHaveLength(1)
  })
})
