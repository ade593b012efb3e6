import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../src/cloudflare/http.ts'
import { readInventory } from '../../src/consumers/inventory.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, startFake } from '../../test-kit/fixtures.ts'
import { fakeApi } from '../unit/fakes.ts'

/** The stand-in's Workers calls answer in Cloudflare's envelope and shapes, as the action reads them. */

let fake: FakeCloudflare
beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.reset()
})

const OLD = '11111111-1111-4111-8111-111111111111'
const get = async (path: string, token = API_TOKEN) => {
  const response = await fetch(`${fake.url}/accounts/${ACCOUNT_ID}/workers/scripts${path}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe("the stand-in's Workers calls", () => {
  it('list the scripts as [{id, …}] and give each one its settings with typed bindings', async () => {
    fake.deployWorker('payments', { PAYMENTS_CERT: OLD })
    fake.deployWorker('static')
    const list = await get('')
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ success: true, errors: [], messages: [] })
    expect((list.body.result as { id: string }[]).map((script) => script.id)).toEqual(['payments', 'static'])
    const settings = await get('/payments/settings')
    expect(settings.status).toBe(200)
    // workers_binding_kind_mtls_certificate: type, name and certificate_id, all required.
    expect((settings.body.result as { bindings: unknown[] }).bindings).toEqual([
      { type: 'mtls_certificate', name: 'PAYMENTS_CERT', certificate_id: OLD },
    ])
    expect(settings.body.result).toMatchObject({ compatibility_date: expect.any(String), usage_model: 'standard' })
  })

  it('answer 404 in the envelope for a Worker that does not exist, and 403 when told to or on other credentials', async () => {
    const missing = await get('/nobody/settings')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ success: false, errors: [{ code: 10007 }] })
    expect((await get('', 'wrong-token')).status).toBe(403)
    fake.workerReadsForbidden = true
    const forbidden = await get('')
    expect(forbidden.status).toBe(403)
    expect(forbidden.body).toMatchObject({ success: false, errors: [{ code: 10000 }] })
  })

  it('are read by the action: bindings known, a missing Worker binding nothing, a 403 unknown', async () => {
    fake.deployWorker('payments', { PAYMENTS_CERT: OLD, OTHER: '22222222-2222-4222-8222-222222222222' })
    const http = createHttpClient()
    const { api } = fakeApi((request, signal) => http.send(request, signal), { apiBaseUrl: fake.url, maxRetries: 0 })
    const scope = { pages: false, hyperdrive: false, rollbackDeployments: 0 }
    const every = await readInventory(api, { workers: 'every', ...scope })
    expect(every.unread).toEqual([])
    const named = await readInventory(api, { workers: ['payments', 'payments-staging'], ...scope })
    expect(named.consumers.map((consumer) => consumer.description)).toEqual([
      'Worker payments (PAYMENTS_CERT, 100 %)',
      'Worker payments (OTHER, 100 %)',
    ])
    fake.workerReadsForbidden = true
    expect((await readInventory(api, { workers: ['payments'], ...scope })).unread).toHaveLength(1)
    expect(fake.specViolations).toEqual([])
    await http.close()
  })
})
