import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, startFake } from '../../test-kit/fixtures.ts'

/** The stand-in's consumers answer in Cloudflare's envelope and shapes, and check what they are sent. */

let fake: FakeCloudflare
beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.reset()
})

const CERT = '11111111-1111-4111-8111-111111111111'
interface Answer {
  result: unknown
  result_info?: unknown
  errors: { message: string }[]
}
/** A value inside an answer, by its keys and indexes; undefined where the path leads nowhere. */
const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined),
    value,
  )
const call = async (path: string, init: { method?: string; body?: unknown; token?: string } = {}) => {
  const response = await fetch(`${fake.url}/accounts/${ACCOUNT_ID}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? API_TOKEN}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return { status: response.status, body: (await response.json()) as Answer }
}

describe("the stand-in's Workers deployments and versions", () => {
  it('answer a gradual deployment newest first, each version with its bindings, and fake.workers.set as one version at 100 %', async () => {
    const [v2, v1] = fake.estate.deployVersions('payments', [
      { certificates: { PAYMENTS_CERT: CERT }, percentage: 10 },
      { certificates: {}, percentage: 90 },
    ])
    const deployments = await call('/workers/scripts/payments/deployments')
    expect(at(deployments.body.result, 'deployments', 0)).toMatchObject({
      strategy: 'percentage',
      versions: [
        { version_id: v2, percentage: 10 },
        { version_id: v1, percentage: 90 },
      ],
    })
    const version = await call(`/workers/scripts/payments/versions/${v2 ?? ''}`)
    expect(at(version.body.result, 'resources', 'bindings')).toEqual([
      { type: 'mtls_certificate', name: 'PAYMENTS_CERT', certificate_id: CERT },
    ])
    fake.workers.set('legacy', [{ type: 'mtls_certificate', name: 'OLD', certificate_id: CERT }])
    const legacy = await call('/workers/scripts/legacy/deployments')
    const only = at(legacy.body.result, 'deployments', 0, 'versions', 0)
    expect(at(only, 'percentage')).toBe(100)
    const bound = await call(`/workers/scripts/legacy/versions/${String(at(only, 'version_id'))}`)
    expect(at(bound.body.result, 'resources', 'bindings')).toHaveLength(1)
    expect((await call('/workers/scripts/nobody/deployments')).status).toBe(404)
    expect(fake.specViolations).toEqual([])
  })

  it('lists the scripts partially when told: a count above what came, or a page marker as text', async () => {
    fake.deployWorker('a')
    fake.deployWorker('b')
    fake.estate.scriptsListing = 'count-above'
    const partial = await call('/workers/scripts')
    expect(partial.body.result).toHaveLength(1)
    expect(partial.body.result_info).toEqual({ count: 1, total_count: 2 })
    fake.estate.scriptsListing = 'pages-as-text'
    expect(at((await call('/workers/scripts')).body.result_info, 'total_pages')).toBe('2')
  })
})

describe("the stand-in's other consumers", () => {
  it('answer dispatch namespaces, Pages projects page by page, and Hyperdrive configs; 403 for a forbidden kind', async () => {
    fake.estate.dispatchScript('customers', 'acme', { ACME_CERT: CERT })
    expect((await call('/workers/dispatch/namespaces')).body.result).toMatchObject([
      { namespace_name: 'customers', script_count: 1 },
    ])
    expect((await call('/workers/dispatch/namespaces/customers/scripts')).body.result).toMatchObject([{ id: 'acme' }])
    expect((await call('/workers/dispatch/namespaces/customers/scripts/acme/bindings')).body.result).toEqual([
      { type: 'mtls_certificate', name: 'ACME_CERT', certificate_id: CERT },
    ])
    fake.estate.perPage = 1
    fake.estate.pagesProjects.set('shop', { preview: { SHOP_CERT: CERT } })
    fake.estate.pagesProjects.set('blog', {})
    const first = await call('/pages/projects')
    expect(first.body.result_info).toMatchObject({ page: 1, total_pages: 2, total_count: 2 })
    expect(at(first.body.result, 0, 'deployment_configs', 'preview', 'mtls_certificates')).toEqual({
      SHOP_CERT: { certificate_id: CERT },
    })
    expect(at((await call('/pages/projects?page=2')).body.result, 0, 'name')).toBe('blog')
    fake.estate.forbidden.add('pages')
    expect((await call('/pages/projects')).status).toBe(403)
    expect(fake.specViolations).toEqual([])
  })

  it('PATCHes a Hyperdrive config after its connection test, and refuses the mTLS the test marks as failing', async () => {
    fake.estate.hyperdriveConfigs.set('h1', { name: 'orders-db' })
    const moved = await call('/hyperdrive/configs/h1', {
      method: 'PATCH',
      body: { mtls: { mtls_certificate_id: CERT } },
    })
    expect(moved.status).toBe(200)
    expect(at(moved.body.result, 'mtls')).toMatchObject({ mtls_certificate_id: CERT })
    fake.estate.failingConnections.add('h1')
    const refused = await call('/hyperdrive/configs/h1', {
      method: 'PATCH',
      body: { mtls: { ca_certificate_id: CERT } },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0]?.message).toContain('Failed to connect to the database')
    expect(fake.estate.hyperdriveConfigs.get('h1')?.mtls).toEqual({ mtls_certificate_id: CERT })
    expect(fake.specViolations).toEqual([])
    // A body outside Cloudflare's description is refused and recorded.
    await call('/hyperdrive/configs/h1', { method: 'PATCH', body: { mtls: 'on' } })
    expect(fake.specViolations).not.toEqual([])
  })
})
