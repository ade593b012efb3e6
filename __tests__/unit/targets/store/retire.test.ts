import { X509Certificate } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { log } from '../../../../src/action/log.ts'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import { CloudflareApi } from '../../../../src/cloudflare/mtls/client.ts'
import type { MtlsCertificate } from '../../../../src/cloudflare/mtls/answers.ts'
import { createHttpClient } from '../../../../src/cloudflare/http.ts'
import { targetContext } from '../../../../src/pipeline/context.ts'
import { NO_OTHER_CONSUMERS } from '../../../../src/consumers/scope.ts'
import type { EntryPlan } from '../../../../src/plan/step.ts'
import { applyRetire, finishRetire, forecastRetire, retireStep } from '../../../../src/targets/store/retire.ts'
import type { FakeCloudflare } from '../../../../test-kit/fake-cloudflare.ts'
import { issuedEarlier, makeClient, startFake } from '../../../../test-kit/fixtures.ts'
import { FakeClock, apiSettings } from '../../fakes.ts'

/** The store's retire against the stand-in, over real HTTP on 127.0.0.1. */
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
  vi.restoreAllMocks()
  const violations = [...fake.specViolations]
  fake.reset()
  expect(violations).toEqual([])
})

const fixture = makeClient('ec')
const leaf = new X509Certificate(fixture.client.pem)
const entry: EntryPlan = {
  name: 'e',
  spec: { ca: false, replace: true, name: 'payments' } as CertificateSpec,
  checked: { leaf, facts: { fingerprintSha256: leaf.fingerprint256 } } as unknown as CheckedCertificate,
  steps: [],
}

function context(replaceWhen: 'end-of-job' | 'immediately', listing?: readonly MtlsCertificate[]) {
  vi.spyOn(log, 'info').mockImplementation(() => undefined)
  const clock = new FakeClock(Date.now())
  const api = new CloudflareApi(apiSettings({ apiBaseUrl: fake.url, maxRetries: 0 }), http.send, clock)
  return targetContext(
    api,
    {
      now: new Date(clock.now()),
      replaceWhen,
      workspace: '',
      checkWorkers: false,
      forecast: listing !== undefined,
      consumers: NO_OTHER_CONSUMERS,
      workerCheck: () => undefined,
    },
    listing,
  )
}

/** An older certificate of the same name, and ours uploaded after it. */
function seedRotation() {
  const older = fake.seed(issuedEarlier(), {
    name: 'payments',
    uploadedOn: new Date(Date.now() - 86_400_000).toISOString(),
  })
  const ours = fake.seed(fixture.client.pem, {
    name: 'payments',
    uploadedOn: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  })
  const mtls = (s: typeof ours): MtlsCertificate => ({
    id: s.id,
    name: s.name ?? '',
    ca: s.ca,
    uploaded_on: s.uploaded_on,
    certificates: s.certificates,
  })
  return {
    older,
    ours,
    placed: { certificate: mtls(ours), created: true, mayReplace: true },
    listing: [mtls(older), mtls(ours)],
  }
}

describe('retireStep', () => {
  it('runs now or at the end of the job, with the name, ca flag, issue time and guards', () => {
    const guards = [{ target: 'workers', saved: { scope: 'every' } }]
    const now = retireStep(entry, guards, context('immediately'))
    expect(now).toEqual({
      target: 'store',
      action: 'retire',
      when: 'now',
      data: { rotation: { name: 'payments', ca: false, issuedAt: leaf.validFromDate.getTime() }, guards },
    })
    expect(retireStep(entry, [], context('end-of-job')).when).toBe('end-of-job')
  })
})

describe('forecastRetire', () => {
  it('judges the older certificates as a real run would now, deleting nothing', async () => {
    const { older, ours, listing } = seedRotation()
    const ctx = context('immediately', listing)
    const placement = { kind: 'reuse' as const, certificate: listing[1] as MtlsCertificate, mayReplace: true }
    const step = await forecastRetire(retireStep(entry, [], ctx), placement, ctx)
    expect(step.data.forecast?.replacements).toEqual([expect.objectContaining({ id: older.id, action: 'delete' })])
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(fake.certificates.has(ours.id) && fake.certificates.has(older.id)).toBe(true)
  })

  it('forecasts nothing for a copy that may not replace, or whose upload time cannot be read', async () => {
    const ctx = context('immediately', [])
    const step = retireStep(entry, [], ctx)
    expect(
      await forecastRetire(step, { kind: 'reuse', certificate: { id: 'c' }, mayReplace: false, warning: 'w' }, ctx),
    ).toBe(step)
    vi.spyOn(log, 'warning').mockImplementation(() => undefined)
    expect(
      await forecastRetire(
        step,
        { kind: 'reuse', certificate: { id: 'c', uploaded_on: 'soon' }, mayReplace: true },
        ctx,
      ),
    ).toBe(step)
    expect(fake.requests).toEqual([])
  })
})

describe('applyRetire', () => {
  it('deletes the older certificate now when the step runs now', async () => {
    const { older, ours, placed } = seedRotation()
    const ctx = context('immediately')
    const retired = await applyRetire(retireStep(entry, [], ctx), placed, ctx)
    expect(retired.replace).toBe(true)
    expect(retired.outcome.replacements).toEqual([expect.objectContaining({ id: older.id, action: 'deleted' })])
    expect(retired.tail).toBeUndefined()
    expect([...fake.certificates.keys()]).toEqual([ours.id])
  })

  it('at the end of the job names the candidates and saves the tail with the id and upload time, deleting nothing', async () => {
    const { older, ours, placed } = seedRotation()
    const ctx = context('end-of-job')
    const retired = await applyRetire(retireStep(entry, [], ctx), placed, ctx)
    expect(retired.outcome).toEqual({ replacements: [], candidates: [older.id] })
    expect(retired.tail?.data.rotation).toMatchObject({ id: ours.id, uploadedOn: ours.uploaded_on, name: 'payments' })
    expect(retired.tail?.when).toBe('end-of-job')
    expect(fake.requestsTo('DELETE')).toEqual([])
    // The post step carries the saved tail out with reads made then.
    const finished = await finishRetire(retired.tail ?? retireStep(entry, [], ctx), ctx)
    expect(finished).toEqual([expect.objectContaining({ id: older.id, action: 'deleted' })])
    expect([...fake.certificates.keys()]).toEqual([ours.id])
  })

  it('does nothing for a certificate that may not replace', async () => {
    const ctx = context('immediately')
    const retired = await applyRetire(
      retireStep(entry, [], ctx),
      { certificate: { id: 'c' }, created: false, mayReplace: false },
      ctx,
    )
    expect(retired).toEqual({ replace: false, outcome: { replacements: [], candidates: [] } })
    expect(fake.requests).toEqual([])
  })
})
