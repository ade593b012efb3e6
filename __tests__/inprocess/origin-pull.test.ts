import { afterEach, describe, expect, it, vi } from 'vitest'
import { applyOriginPullStep, emptyOriginPullResult, type OriginPullTarget } from '../../src/origin-pull/apply.ts'
import { observeHostnameOriginPull, observeZoneOriginPull } from '../../src/origin-pull/observe.ts'
import {
  planHostnameOriginPull,
  planZoneOriginPull,
  type OriginPullSpec,
  type OriginPullStep,
} from '../../src/origin-pull/plan.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ZONE_ID, makeClient, type ClientFixture } from '../../test-kit/fixtures.ts'
import { estateApi } from '../support/estate-api.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { operationError } from '../unit/fakes.ts'

/** The steps run in order, as the store's steps run them. */
async function applyOriginPullPlan(
  api: Parameters<typeof applyOriginPullStep>[0],
  target: OriginPullTarget,
  steps: readonly OriginPullStep[],
) {
  const result = emptyOriginPullResult()
  for (const step of steps) await applyOriginPullStep(api, target, step, result)
  return result
}

/**
 * Authenticated Origin Pulls planned and carried out with the real client over real HTTP against the
 * stand-in, whose statuses move initializing → pending_deployment → active a read at a time.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
afterEach(() => vi.restoreAllMocks())

const HOSTNAMES = ['origin-a.example.com', 'origin-b.example.com']

async function run(fixture: ClientFixture, hostnames: readonly string[], timeoutSeconds = 120) {
  const { api, clock, close } = estateApi(fake, timeoutSeconds)
  const spec: OriginPullSpec = { certificate: fixture.client.pem, hostnames, retire: true }
  const target = { zoneId: ZONE_ID, spec, privateKey: fixture.keyPem }
  try {
    const plan =
      hostnames.length > 0
        ? planHostnameOriginPull(spec, ZONE_ID, await observeHostnameOriginPull(api, ZONE_ID, hostnames))
        : planZoneOriginPull(spec, ZONE_ID, await observeZoneOriginPull(api, ZONE_ID))
    const result = await applyOriginPullPlan(api, target, plan.steps)
    return { plan, result, sleeps: clock.sleeps }
  } finally {
    await close()
  }
}

/** Every request's body and every answer's text checked for the key: it goes to the upload's body only. */
function keyOnlyInUploads(fixture: ClientFixture): void {
  const line = fixture.keyPem.split('\n')[1] ?? ''
  const carrying = fake.requests.filter((r) => r.body.includes(line)).map((r) => `${r.method} ${r.path}`)
  expect(carrying.every((r) => r.startsWith('POST '))).toBe(true)
}

describe('a per-hostname origin pull certificate', () => {
  it('is uploaded, assigned, waited on until active, and the old one deleted only then; a re-run adopts it', async () => {
    const old = makeClient()
    const stored = fake.originPull.seed(ZONE_ID, 'hostname', old.client.pem, old.keyPem)
    for (const hostname of HOSTNAMES) fake.originPull.assign(ZONE_ID, hostname, stored.id)
    const fixture = makeClient()
    const { plan, result, sleeps } = await run(fixture, HOSTNAMES)
    expect(plan.steps.map((s) => s.action)).toEqual(['upload', 'attach', 'wait', 'retire'])
    const id = result.id ?? ''
    expect(result.deleted).toEqual([stored.id])
    expect([...(fake.originPull.assignments.get(ZONE_ID)?.values() ?? [])].map((a) => a.cert_id)).toEqual([id, id])
    expect(sleeps.length).toBeGreaterThan(0)
    // The delete came after the last read of a hostname as active.
    const paths = fake.requests.map((r) => `${r.method} ${r.path}`)
    const deleted = paths.findIndex((p) => p.startsWith('DELETE'))
    expect(deleted).toBeGreaterThan(paths.findLastIndex((p) => p.includes('/hostnames/origin-')))
    keyOnlyInUploads(fixture)
    expect(JSON.stringify(result)).not.toContain(fixture.keyPem.split('\n')[1])

    fake.requests.length = 0
    const again = await run(fixture, HOSTNAMES)
    expect(again.plan.steps).toEqual([{ action: 'reuse', id, uploadedOn: expect.any(String) }])
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })

  it('fails the entry naming the hostname on deployment_timed_out, and deletes nothing', async () => {
    const old = makeClient()
    const stored = fake.originPull.seed(ZONE_ID, 'hostname', old.client.pem, old.keyPem)
    fake.originPull.assign(ZONE_ID, 'origin-b.example.com', stored.id)
    fake.originPull.timeOut.add('origin-b.example.com')
    const fixture = makeClient()
    const error = await operationError(run(fixture, HOSTNAMES))
    expect(error.message).toContain('for origin-b.example.com')
    expect(error.message).toContain('deployment_timed_out')
    expect(error.message).not.toContain(fixture.keyPem.split('\n')[1])
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(fake.originPull.hostnameCertificates.get(ZONE_ID)?.has(stored.id)).toBe(true)
  })

  it('times out naming what each hostname reads, the old certificate kept', async () => {
    fake.originPull.statusLag = 1000
    const error = await operationError(run(makeClient(), ['origin-a.example.com'], 20))
    expect(error.message).toMatch(/Timed out waiting .* origin-a\.example\.com reads initializing/)
    expect(fake.requestsTo('DELETE')).toEqual([])
  })

  it('is refused before the upload when the zone holds 10 certificates', async () => {
    for (let i = 0; i < 10; i++) {
      const other = makeClient()
      fake.originPull.seed(ZONE_ID, 'hostname', other.client.pem, other.keyPem)
    }
    const { api, close } = estateApi(fake)
    try {
      const observed = await observeHostnameOriginPull(api, ZONE_ID, HOSTNAMES)
      const plan = planHostnameOriginPull(
        { certificate: makeClient().client.pem, hostnames: HOSTNAMES, retire: true },
        ZONE_ID,
        observed,
      )
      expect(plan.problems[0]).toContain("Cloudflare's limit of 10")
    } finally {
      await close()
    }
  })
})

describe('a zone-level origin pull certificate', () => {
  it('is rotated: uploaded, waited on until active, then the one active before is deleted, never the new one', async () => {
    const old = makeClient()
    const before = fake.originPull.seed(ZONE_ID, 'zone', old.client.pem, old.keyPem)
    fake.originPull.enabled.set(ZONE_ID, true)
    const fixture = makeClient()
    const { plan, result, sleeps } = await run(fixture, [])
    expect(plan.steps.map((s) => s.action)).toEqual(['upload', 'wait', 'retire'])
    expect(plan.notes).toEqual([])
    expect(result.deleted).toEqual([before.id])
    expect([...(fake.originPull.zoneCertificates.get(ZONE_ID)?.keys() ?? [])]).toEqual([result.id])
    // The first read finds it pending_deployment, the next (after 2 s) active.
    expect(sleeps).toEqual([1000])
    keyOnlyInUploads(fixture)
  })

  it('says so when zone-level Authenticated Origin Pulls is off', async () => {
    const { plan } = await run(makeClient(), [])
    expect(plan.notes.join('\n')).toContain('Zone-level Authenticated Origin Pulls is off')
  })
})
