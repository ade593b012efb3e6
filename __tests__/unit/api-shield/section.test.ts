import { describe, expect, it } from 'vitest'
import { hostnamesSection } from '../../../src/api-shield/section.ts'
import { sectionsHtml } from '../../../src/render/html.ts'

describe('hostnamesSection', () => {
  it("is keyed by the zone, so that the attach's and the detach's rows of a zone share one table", () => {
    const attach = hostnamesSection('z1', [[{ code: 'a.example' }, 'attached', 'this CA']])
    const detach = hostnamesSection('z1', [[{ code: 'b.example' }, 'detached', { code: 'old' }]])
    expect(attach.key).toBe('api-shield:z1')
    expect(attach.table?.columns).toEqual(['Hostname', 'Status', 'CA'])
    expect(attach.heading).toEqual(['API Shield hostnames in zone ', { code: 'z1' }])
    const html = sectionsHtml([attach, detach])
    expect(html).toHaveLength(1)
    expect(html[0]).toContain('a.example')
    expect(html[0]).toContain('b.example')
  })

  it('gives two zones two keys', () => {
    expect(hostnamesSection('z1', []).key).not.toBe(hostnamesSection('z2', []).key)
  })
})
