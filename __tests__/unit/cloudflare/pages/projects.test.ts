import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import { listPagesProjects, pagesProjectOf } from '../../../../src/cloudflare/pages/projects.ts'
import { fakeApi, json, scriptedSend } from '../../fakes.ts'

const CERT = 'b2134436-2555-4acf-be5b-26c48136575e'
const project = (name: string, preview?: Record<string, unknown>) => ({
  name,
  deployment_configs: { production: { env_vars: {} }, preview: preview ?? {} },
})

describe('pagesProjectOf', () => {
  it('reads each environment binding, none for an environment without mtls_certificates', () => {
    expect(pagesProjectOf(project('shop', { mtls_certificates: { SHOP_CERT: { certificate_id: CERT } } }))).toEqual({
      name: 'shop',
      bindings: [{ environment: 'preview', binding: 'SHOP_CERT', certificateId: CERT }],
    })
    expect(pagesProjectOf({ name: 'bare' })).toEqual({ name: 'bare', bindings: [] })
  })
  it('refuses a binding without its certificate_id and configurations of another shape', () => {
    expect(() => pagesProjectOf(project('shop', { mtls_certificates: { SHOP_CERT: {} } }))).toThrow(ApiError)
    expect(() => pagesProjectOf(project('shop', { mtls_certificates: [] }))).toThrow(ApiError)
    expect(() => pagesProjectOf({ name: 'shop', deployment_configs: 'x' })).toThrow(ApiError)
    expect(() => pagesProjectOf({ id: 'x' })).toThrow(ApiError)
  })
})

describe('listPagesProjects', () => {
  it('reads every page, asking for page 2 with the parameter', async () => {
    const page = (items: unknown[], n: number) =>
      json(200, {
        success: true,
        errors: [],
        messages: [],
        result: items,
        result_info: { page: n, per_page: 1, count: 1, total_count: 2, total_pages: 2 },
      })
    const send = scriptedSend(page([project('a')], 1), page([project('b')], 2))
    const { api } = fakeApi(send, { maxRetries: 0 })
    expect((await listPagesProjects(api)).map((p) => p.name)).toEqual(['a', 'b'])
    expect(send.requests.map((r) => new URL(r.url).search)).toEqual(['', '?page=2'])
  })
})
