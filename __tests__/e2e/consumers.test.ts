import { savedSteps } from '../support/saved-steps.ts'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, clientInputs, issuedEarlier, makeClient } from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep } from '../support/steps.ts'

/**
 * Nothing in use is deleted (issue 29): replace reads every consumer of the account's certificates
 * (each version a Worker's current deployment serves, whatever its percentage; with
 * rollback-deployments, its earlier deployments; dispatch-namespace scripts; Pages projects;
 * Hyperdrive configs) and keeps a certificate any of them uses; what it cannot read keeps them all,
 * said once. The main cases run dist/; the loops over kinds run from source in this process.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

const OTHER = '22222222-2222-4222-8222-222222222222'
const LAST_WEEK = new Date(Date.now() - 7 * 86_400_000).toISOString()

const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
const seedOlder = () => fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
const rotate = (fixture: ReturnType<typeof makeClient>, extra: Record<string, string> = {}) =>
  clientInputs(fake, fixture, { replace: 'true', 'replace-when': 'immediately', ...extra })

describe('a Worker with a gradual deployment, through dist/', () => {
  it('keeps the certificate its older version binds at 90 %, and at 0 %, then retires it once the deployment moves off', async () => {
    const older = seedOlder()
    const [, v1 = ''] = fake.estate.deployVersions('payments', [
      { certificates: { PAYMENTS_CERT: OTHER }, percentage: 10 },
      { certificates: { PAYMENTS_CERT: older.id }, percentage: 90 },
    ])
    const fixture = makeClient('ec')
    const inputs = rotate(fixture, { 'check-consumers': 'workers' })
    const first = await runAction(inputs)
    expect(first.exitCode).toBe(0)
    expect(leakedSecrets(first, [API_TOKEN, fixture.keyPem])).toEqual([])
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(warnings(first).join('\n')).toContain('used by Worker payments (PAYMENTS_CERT, 90 %)')
    expect(first.summary).toContain('Worker payments (PAYMENTS_CERT, 90 %)')

    // v2 at 100 %, v1 still in the deployment at 0 %: reachable by header, so still kept.
    const v2 = fake.estate.deployments.get('payments')?.[0]?.versions[0]?.version_id ?? ''
    fake.estate.deployExisting('payments', [
      { versionId: v2, percentage: 100 },
      { versionId: v1, percentage: 0 },
    ])
    const second = await runAction(inputs)
    expect(second.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(warnings(second).join('\n')).toContain('used by Worker payments (PAYMENTS_CERT, 0 %)')

    fake.estate.deployExisting('payments', [{ versionId: v2, percentage: 100 }])
    const third = await runAction(inputs)
    expect(third.exitCode).toBe(0)
    expect(JSON.parse(third.outputs['replaced-ids'] ?? '')).toEqual([older.id])
    expect(fake.certificates.has(older.id)).toBe(false)
  })

  it('the post step keeps it too, with the consumers saved by the main step', async () => {
    const older = seedOlder()
    fake.estate.pagesProjects.set('shop', { production: { SHOP_CERT: older.id } })
    const inputs = clientInputs(fake, makeClient('ec'), { replace: 'true', 'check-consumers': 'pages' })
    const main = await runAction(inputs)
    expect(main.exitCode).toBe(0)
    expect(savedSteps(main.state)[0]?.data.guards).toEqual([
      {
        target: 'workers',
        saved: { scope: [], consumers: { pages: true, hyperdrive: false, rollbackDeployments: 0 } },
      },
    ])
    const post = await runPostStep(inputs, main)
    expect(post.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(warnings(post).join('\n')).toContain('used by Pages project shop (production, SHOP_CERT)')
  })
})

describe('the other consumers, through dist/', () => {
  it('keeps what a dispatch-namespace script, a Pages project (production or preview) or a Hyperdrive config uses', async () => {
    const [dispatched, production, preview, client, ca] = [1, 2, 3, 4, 5].map(seedOlder)
    const free = seedOlder()
    fake.estate.dispatchScript('customers', 'acme', { ACME_CERT: dispatched?.id ?? '' })
    fake.estate.pagesProjects.set('shop', { production: { SHOP_CERT: production?.id ?? '' } })
    fake.estate.pagesProjects.set('blog', { preview: { BLOG_CERT: preview?.id ?? '' } })
    fake.estate.hyperdriveConfigs.set('h1', {
      name: 'orders-db',
      mtls: { mtls_certificate_id: client?.id ?? '', ca_certificate_id: ca?.id ?? '' },
    })
    const run = await runAction(rotate(makeClient('ec'), { 'check-consumers': 'all' }))
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([free.id])
    for (const kept of [dispatched, production, preview, client, ca])
      expect(fake.certificates.has(kept?.id ?? '')).toBe(true)
    const said = warnings(run).join('\n')
    for (const consumer of [
      'dispatch namespace customers, script acme (ACME_CERT)',
      'Pages project shop (production, SHOP_CERT)',
      'Pages project blog (preview, BLOG_CERT)',
      'Hyperdrive orders-db (client)',
      'Hyperdrive orders-db (CA)',
    ])
      expect(said).toContain(consumer)
  })
})

describe('fail closed, said once', () => {
  it('through dist/, keeps every older certificate on a partial Workers list, with one warning', async () => {
    const older = [seedOlder(), seedOlder()]
    fake.deployWorker('alpha')
    fake.deployWorker('beta')
    fake.estate.scriptsListing = 'count-above'
    const run = await runAction(rotate(makeClient('ec'), { 'check-workers': 'true' }))
    expect(run.exitCode).toBe(0)
    for (const certificate of older) expect(fake.certificates.has(certificate.id)).toBe(true)
    expect(warnings(run)).toHaveLength(1)
    expect(warnings(run)[0]).toContain('may be partial (it counts 2 in all and 1 came)')
    expect(warnings(run)[0]).toContain('"Account → Workers Scripts → Read"')
    expect(fake.requests.filter((r) => r.method === 'DELETE')).toEqual([])
  })

  it('keeps them on a page marker of another type too', async () => {
    const older = seedOlder()
    fake.deployWorker('alpha')
    fake.estate.scriptsListing = 'pages-as-text'
    const run = await mainStep(rotate(makeClient('ec'), { 'check-consumers': 'workers' }))
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(warnings(run)).toEqual([expect.stringContaining('page marker total_pages is "2", not a number')])
  })

  for (const [kind, permission, what] of [
    ['workers', 'Workers Scripts → Read', 'Workers'],
    ['dispatch', 'Workers Scripts → Read', 'dispatch namespaces'],
    ['pages', 'Cloudflare Pages → Read', 'Pages projects'],
    ['hyperdrive', 'Hyperdrive → Read', 'Hyperdrive configs'],
  ] as const) {
    it(`keeps every older certificate when ${what} cannot be read (403), with one warning naming "${permission}"`, async () => {
      const older = [seedOlder(), seedOlder()]
      fake.deployWorker('alpha')
      fake.estate.forbidden.add(kind)
      const run = await mainStep(rotate(makeClient('ec'), { 'check-consumers': 'all' }))
      expect(run.exitCode).toBe(0)
      for (const certificate of older) expect(fake.certificates.has(certificate.id)).toBe(true)
      expect(warnings(run)).toHaveLength(1)
      expect(warnings(run)[0]).toContain(`(${what}: `)
      expect(warnings(run)[0]).toContain(permission)
    })
  }

  it('keeps them on a 429 that lasts past the retries', async () => {
    const older = seedOlder()
    fake.inject({
      pathSuffix: '/hyperdrive/configs',
      times: Infinity,
      fault: {
        kind: 'respond',
        status: 429,
        headers: { 'retry-after': '0' },
        body: '{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[],"result":null}',
      },
    })
    const run = await mainStep(rotate(makeClient('ec'), { 'check-consumers': 'hyperdrive', 'max-retries': '1' }))
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(warnings(run)).toEqual([expect.stringContaining('Hyperdrive → Read')])
  })
})

describe('rollback-deployments', () => {
  it('through dist/, keeps what a version of the last N deployments binds, and only with it', async () => {
    const older = seedOlder()
    fake.estate.deployVersions('payments', [{ certificates: { PAYMENTS_CERT: older.id }, percentage: 100 }])
    fake.estate.deployVersions('payments', [{ certificates: { PAYMENTS_CERT: OTHER }, percentage: 100 }])
    const fixture = makeClient('ec')
    const kept = await runAction(rotate(fixture, { 'check-workers': 'true', 'rollback-deployments': '1' }))
    expect(kept.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(warnings(kept).join('\n')).toContain(
      'used by Worker payments (PAYMENTS_CERT, a rollback target, the deployment before)',
    )
    const retired = await runAction(rotate(fixture, { 'check-workers': 'true' }))
    expect(JSON.parse(retired.outputs['replaced-ids'] ?? '')).toEqual([older.id])
  })

  it('refuses a depth that is not a whole number from 0 to 100, naming the input, before any request', async () => {
    const run = await mainStep(rotate(makeClient('ec'), { 'rollback-deployments': '-1' }))
    expect(run.exitCode).toBe(1)
    expect(run.annotations.map((a) => a.message).join('\n')).toContain('rollback-deployments')
    expect(fake.requests).toEqual([])
  })
})
