import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CloudflareApi } from '../../../../src/cloudflare/mtls/client.ts'
import { createHttpClient } from '../../../../src/cloudflare/http.ts'
import { NEW_CERTIFICATE, type EntryPlan, type Step } from '../../../../src/plan/step.ts'
import type { TargetContext } from '../../../../src/plan/target.ts'
import type { AttachData } from '../../../../src/targets/api-shield/data.ts'
import { API_SHIELD, apiShield } from '../../../../src/targets/api-shield/index.ts'
import type { FakeCloudflare } from '../../../../test-kit/fake-cloudflare.ts'
import { ZONE_ID, makeClient, startFake } from '../../../../test-kit/fixtures.ts'
import { FakeClock, apiSettings } from '../../fakes.ts'

/** The API Shield target against the stand-in, over real HTTP on 127.0.0.1. */
let fake: FakeCloudflare
const http = createHttpClient()
beforeAll(async () => {
  fake = await startFake()
})
afterAll(async () => {
  await http.close()
  await fake.stop()
})
afterEach(() => {
  const violations = [...fake.specViolations]
  fake.reset()
  expect(violations).toEqual([])
})

const context = (forecast: boolean, replaceWhen: TargetContext['replaceWhen'] = 'end-of-job') =>
  ({
    api: new CloudflareApi(apiSettings({ apiBaseUrl: fake.url, maxRetries: 0 }), http.send, new FakeClock()),
    forecast,
    replaceWhen,
  }) as unknown as TargetContext

const entry = (apiShield?: { zoneId: string; hostnames: string[] }, replace = true) =>
  ({
    name: 'e',
    spec: { name: 'ca-name', ca: true, replace, ...(apiShield ? { apiShield } : {}) },
  }) as unknown as EntryPlan

const given = { zoneId: ZONE_ID, hostnames: ['a.example.com', 'b.example.com'] }

describe('the api-shield target', () => {
  it('applies to an entry with a zone and hostnames only', () => {
    expect(apiShield.appliesTo(entry())).toBe(false)
    expect(apiShield.appliesTo(entry(given))).toBe(true)
  })

  it("reads the CA's hostnames to plan only for a forecast, and none for a CA not uploaded yet", async () => {
    const ca = fake.seed(makeClient('ec').ca.pem, { ca: true, name: 'ca-name' })
    fake.attach(ZONE_ID, ca.id, ['a.example.com'])
    expect(await apiShield.observe(entry(given), ca.id, context(false))).toBeUndefined()
    expect(fake.requests).toEqual([])
    expect(await apiShield.observe(entry(given), ca.id, context(true))).toEqual({
      after: ['a.example.com', 'b.example.com'],
      attached: ['b.example.com'],
      alreadyThere: ['a.example.com'],
    })
    const requests = fake.requests.length
    expect(await apiShield.observe(entry(given), NEW_CERTIFICATE, context(true))).toEqual({
      after: given.hostnames,
      attached: given.hostnames,
      alreadyThere: [],
    })
    expect(fake.requests).toHaveLength(requests)
  })

  it('plans one attach, saying replace retires the older CAs at the end of the job only then', () => {
    const planned = { after: ['a.example.com'], attached: ['a.example.com'], alreadyThere: [] }
    expect(apiShield.plan(entry(given), NEW_CERTIFICATE, planned, context(true))).toEqual([
      { target: API_SHIELD, action: 'attach', when: 'now', data: { ...given, planned, retiresAtEnd: 'ca-name' } },
    ])
    expect(apiShield.plan(entry(given), 'id', undefined, context(false, 'immediately'))[0]?.data).toEqual(given)
    expect(apiShield.plan(entry(given, false), 'id', undefined, context(false))[0]?.data).toEqual(given)
  })

  it('attaches the given hostnames to the placed CA, and reads them back', async () => {
    const ca = fake.seed(makeClient('ec').ca.pem, { ca: true })
    const [step] = apiShield.plan(entry(given), NEW_CERTIFICATE, undefined, context(false))
    const placed = { certificate: { id: ca.id }, created: false }
    const done = await apiShield.apply(step as Step<AttachData>, { placed }, context(false))
    expect(done).toMatchObject({ zoneId: ZONE_ID, applied: true, attached: given.hostnames })
    expect(fake.hostnamesOf(ZONE_ID, ca.id).sort()).toEqual(given.hostnames)
  })

  it('refuses to attach before the CA is placed, with no request', async () => {
    const [step] = apiShield.plan(entry(given), NEW_CERTIFICATE, undefined, context(false))
    await expect(apiShield.apply(step as Step<AttachData>, {}, context(false))).rejects.toThrow('before it was placed')
    expect(fake.requests).toEqual([])
  })

  it('guards a retire with the zone, the hostnames and what the forecast plans', () => {
    const planned = { after: ['x.example.com', 'a.example.com'], attached: [], alreadyThere: [] }
    const steps = apiShield.plan(entry(given), 'id', planned, context(true))
    expect(apiShield.retireGuard?.(entry(given), steps, context(true))).toEqual({
      ...given,
      planned: planned.after,
    })
    expect(apiShield.retireGuard?.(entry(), [], context(true))).toBeUndefined()
  })

  it("gives a retire the zone's reads: the new CA's list read again, or the plan's in a forecast", async () => {
    const ca = fake.seed(makeClient('ec').ca.pem, { ca: true })
    fake.attach(ZONE_ID, ca.id, ['c.example.com'])
    const real = apiShield.retireReads?.(given, ca.id, context(false))
    if (typeof real !== 'object' || !real.zone) throw new Error('no zone reads')
    expect(await real.zone.newServes()).toEqual(['c.example.com'])
    const planned = apiShield.retireReads?.({ ...given, planned: ['p.example.com'] }, undefined, context(false))
    if (typeof planned !== 'object' || !planned.zone) throw new Error('no zone reads')
    expect(await planned.zone.newServes()).toEqual(['p.example.com'])
    const forecast = apiShield.retireReads?.(given, ca.id, context(true))
    if (typeof forecast !== 'object' || !forecast.zone) throw new Error('no zone reads')
    expect(await forecast.zone.newServes()).toEqual(given.hostnames)
  })

  it('refuses saved state that does not read as a zone and hostnames', () => {
    for (const saved of [
      null,
      'x',
      {},
      { ...given, zoneId: 'nope' },
      { ...given, hostnames: [] },
      { ...given, hostnames: ['bad host'] },
      { ...given, planned: 'x' },
    ])
      expect(apiShield.retireReads?.(saved, 'id', context(false))).toBe(
        'its API Shield zone or hostnames are not as saved',
      )
  })
})
