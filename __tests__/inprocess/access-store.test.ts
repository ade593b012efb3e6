import { afterEach, describe, expect, it, vi } from 'vitest'
import { applyAccessPlan } from '../../src/access/apply.ts'
import { planAccess, type AccessSpec } from '../../src/access/plan.ts'
import { listAccessCertificates } from '../../src/cloudflare/access/client.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, ZONE_ID, makeClient } from '../../test-kit/fixtures.ts'
import { estateApi } from '../support/estate-api.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { operationError } from '../unit/fakes.ts'

/**
 * Access CAs planned and carried out with the real client over real HTTP against the stand-in's
 * Access store, with its races: stale hostname reads and "active associations" after a detach.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
afterEach(() => vi.restoreAllMocks())

const ACCOUNT = `accounts/${ACCOUNT_ID}`
const owner = { accountId: ACCOUNT_ID }
const HOSTNAMES = ['app.example.com', 'admin.example.com']
const spec = (certificate: string, extra: Partial<AccessSpec> = {}): AccessSpec => ({
  name: 'partners-ca',
  certificate,
  hostnames: HOSTNAMES,
  retire: true,
  ...extra,
})

async function run(given: AccessSpec, timeoutSeconds = 120) {
  const { api, clock, close } = estateApi(fake, timeoutSeconds)
  try {
    const plan = planAccess(given, await listAccessCertificates(api, owner))
    const result = plan.problems.length > 0 ? undefined : await applyAccessPlan(api, owner, given, plan.steps)
    return { plan, result, sleeps: clock.sleeps }
  } finally {
    await close()
  }
}

const writes = (): string[] =>
  fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^.*\/access\//, '')}`)

describe('an Access CA', () => {
  it('is uploaded with its hostnames, and adopted on a re-run with no upload', async () => {
    const ca = makeClient().ca.pem
    const first = await run(spec(ca))
    expect(first.plan.steps).toEqual([{ action: 'upload', name: 'partners-ca', hostnames: HOSTNAMES }])
    const [stored] = fake.access.ownedBy(ACCOUNT)
    expect(stored?.associated_hostnames).toEqual(HOSTNAMES)
    expect(first.result?.id).toBe(stored?.id)

    fake.requests.length = 0
    const again = await run(spec(ca))
    expect(again.plan.steps).toEqual([
      { action: 'reuse', id: stored?.id, name: 'partners-ca', uploadedOn: stored?.created_at },
    ])
    expect(writes()).toEqual([])
    expect(fake.access.ownedBy(ACCOUNT)).toHaveLength(1)
  })

  it('is rotated: the new CA gets the hostnames, the old one is detached, its delete retried through "active associations", then gone', async () => {
    const old = fake.access.seed(makeClient().ca.pem, { owner: ACCOUNT, name: 'partners-ca', hostnames: HOSTNAMES })
    fake.access.refuseSharedHostnames = false
    fake.access.hostnameReadLag = 2
    fake.access.deleteRefusals = 2
    const { plan, result, sleeps } = await run(spec(makeClient().ca.pem))
    expect(plan.steps.map((s) => s.action)).toEqual(['upload', 'attach', 'detach', 'retire'])
    expect(result?.retired).toEqual([expect.objectContaining({ id: old.id, outcome: 'deleted' })])
    const left = fake.access.ownedBy(ACCOUNT)
    expect(left.map((c) => [c.id, c.associated_hostnames])).toEqual([[result?.id, HOSTNAMES]])
    // Two stale reads after the detach (the retire's first read, then one poll: 2 s), then two refused deletes (2 s, 4 s).
    expect(sleeps).toEqual([2000, 2000, 4000])
    expect(fake.requestsTo('DELETE').length).toBe(3)
    // The new CA had the hostnames before the old one lost them.
    const order = writes()
    expect(order.findIndex((w) => w.startsWith(`PUT certificates/${result?.id ?? ''}`))).toBeLessThan(
      order.findIndex((w) => w === `PUT certificates/${old.id}`),
    )
  })

  it('keeps the old CA, named, when the delete is still refused as timeout-seconds runs out', async () => {
    const old = fake.access.seed(makeClient().ca.pem, { owner: ACCOUNT, name: 'partners-ca', hostnames: HOSTNAMES })
    fake.access.refuseSharedHostnames = false
    fake.access.deleteRefusals = 10
    const { result } = await run(spec(makeClient().ca.pem), 10)
    expect(result?.retired).toEqual([
      {
        id: old.id,
        outcome: 'kept',
        reason: expect.stringContaining(`'partners-ca' (${old.id}) was kept for a later run`) as string,
      },
    ])
    expect(result?.warnings.join('\n')).toContain('timeout-seconds ran out')
    expect(fake.access.certificates.has(old.id)).toBe(true)
  })

  it('reports a refused double association plainly and leaves the old CA serving', async () => {
    const old = fake.access.seed(makeClient().ca.pem, { owner: ACCOUNT, name: 'partners-ca', hostnames: HOSTNAMES })
    const error = await operationError(run(spec(makeClient().ca.pem)))
    expect(error.message).toContain(`while Access CA 'partners-ca' (${old.id}) holds them`)
    expect(error.message).toContain('The old CA is left serving them')
    expect(error.message).toContain('swap: detach-first')
    expect(fake.access.certificates.get(old.id)?.associated_hostnames).toEqual(HOSTNAMES)
    expect(fake.requestsTo('DELETE')).toEqual([])
  })

  it('with swap: detach-first, plans the gap and moves the hostnames', async () => {
    const old = fake.access.seed(makeClient().ca.pem, { owner: ACCOUNT, name: 'partners-ca', hostnames: HOSTNAMES })
    const { plan, result } = await run(spec(makeClient().ca.pem, { swap: 'detach-first' }))
    expect(plan.steps.map((s) => s.action)).toEqual(['upload', 'detach', 'attach', 'retire'])
    expect(plan.steps[1]).toMatchObject({ action: 'detach', id: old.id, gap: true, removed: HOSTNAMES })
    expect(plan.notes[0]).toContain('will have no Access CA between the detach from the old CA and the attach')
    expect(fake.access.certificates.has(old.id)).toBe(false)
    expect(fake.access.certificates.get(result?.id ?? '')?.associated_hostnames).toEqual(HOSTNAMES)
  })

  it('lives in a zone too, and refuses an upload past the store limit before sending it', async () => {
    const zoneOwner = { zoneId: ZONE_ID }
    const { api, close } = estateApi(fake)
    try {
      fake.access.limit = 1
      fake.access.seed(makeClient().ca.pem, { owner: `zones/${ZONE_ID}`, name: 'other', hostnames: [] })
      const observed = await listAccessCertificates(api, zoneOwner)
      expect(observed).toHaveLength(1)
      const plan = planAccess(
        spec(makeClient().ca.pem),
        Array.from({ length: 50 }, (_, i) => ({ id: String(i) })),
      )
      expect(plan.problems[0]).toContain("Cloudflare's limit of 50")
    } finally {
      await close()
    }
  })

  it('reads a listing of many pages to the end', async () => {
    for (let i = 0; i < 55; i++) fake.access.seed(makeClient().ca.pem, { owner: ACCOUNT, name: `ca-${i}` })
    const { api, close } = estateApi(fake)
    try {
      expect(await listAccessCertificates(api, owner)).toHaveLength(55)
      expect(fake.requestsTo('GET').map((r) => r.query)).toEqual(['?page=1&per_page=50', '?page=2&per_page=50'])
    } finally {
      await close()
    }
  })
})
