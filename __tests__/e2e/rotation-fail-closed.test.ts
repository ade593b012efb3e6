import { describe, expect, it } from 'vitest'
import { successAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, clientInputs, makeClient, type ClientFixture } from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { run as runSource } from '../../src/main.ts'
import { runInProcess } from '../support/run-in-process.ts'

/**
 * `replace` fails closed: when the account's answers do not show which certificate is older, or that
 * the new one is still there, or what uses it, it deletes nothing; it never acts on an id that is not a
 * Cloudflare id, nor on a certificate Cloudflare manages. The first cases run the committed dist/; the
 * answers of unexpected shape and the listing's ids run the action's source in this process, to spare a
 * process start each.
 */

const DAY = 86_400_000
const MINUTE = 60_000
const NAME = 'payments-client'
const LAST_YEAR = '2025-11-01T00:00:00Z'
let fake: FakeCloudflare
let fixture: ClientFixture
useStandIn((started) => (fake = started))

const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
const deletes = (): string[] => fake.requestsTo('DELETE').map((r) => r.path.split('/').at(-1) ?? '')
const publicView = (id: string): Record<string, unknown> => {
  const { private_key: _key, ...rest } = fake.certificates.get(id) as unknown as Record<string, unknown>
  return rest
}
const immediately = (): Record<string, string> =>
  clientInputs(fake, fixture, { replace: 'true', 'replace-when': 'immediately' })
const isoAgo = (ms: number): string => new Date(Date.now() - ms).toISOString()
/** Issued two hours ago, before any fixture (an hour ago): never taken for a newer certificate. */
const olderPem = (): string => makeClient('ec', { notBefore: new Date(Date.now() - 2 * 3_600_000) }).client.pem
const older = (fields: Parameters<FakeCloudflare['seed']>[1] = {}) =>
  fake.seed(olderPem(), { name: NAME, uploadedOn: LAST_YEAR, ...fields })

/** The main step run from source in this process. */
async function run(extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  const done = await runInProcess(runSource, clientInputs(fake, fixture, { name: NAME, ...extra }), { env })
  expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
  return done
}
const replaceNow = (extra: Record<string, string> = {}): Promise<ActionRun> =>
  run({ replace: 'true', 'replace-when': 'immediately', ...extra })

describe('the certificate replace rotates to is not in the listing', () => {
  it('post step: deletes nothing, and warns, when the new certificate is gone', async () => {
    fixture = makeClient('ec')
    const old = fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    const main = await runAction(clientInputs(fake, fixture, { replace: 'true' }))
    expect(main.exitCode).toBe(0)
    const uploaded = main.outputs['certificate-id'] ?? ''
    // Between the steps the new certificate is gone (deleted by hand, or the listing is partial).
    fake.certificates.delete(uploaded)
    fake.requests.length = 0
    const post = await runPostStep(clientInputs(fake, fixture, { replace: 'true' }), main)
    expect(post.exitCode).toBe(0)
    // Make before break: without the new certificate in the account, the old one is the only one left.
    expect(deletes()).toEqual([])
    expect(fake.certificates.has(old.id)).toBe(true)
    expect(warnings(post)).toEqual([expect.stringMatching(new RegExp(`^Replace deletes nothing: .*${uploaded}`))])
    expect(post.log).toContain(`Certificate ${old.id} of the same name (uploaded ${LAST_YEAR}): kept,`)
  })

  it('main step (immediately): deletes nothing when the listing after the upload lacks the new certificate', async () => {
    fixture = makeClient('ec')
    const old = fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    // A listing that holds the old certificate only: partial, or the new one was deleted at once.
    fake.inject({ method: 'GET', pathSuffix: '/mtls_certificates', fault: successAnswer([publicView(old.id)]) })
    const run = await runAction(immediately())
    expect(run.exitCode).toBe(0)
    expect(errors(run)).toEqual([])
    expect(deletes()).toEqual([])
    expect(warnings(run)).toEqual([
      expect.stringMatching(/^Replace deletes nothing: the account's listing does not hold/),
    ])
  })
})

describe('a certificate whose issue time the listing does not give', () => {
  it('(baseline) keeps a newer-issued certificate uploaded long before ours when the listing has its PEM', async () => {
    fixture = makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) })
    fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    const run = await runAction(immediately())
    expect(run.exitCode).toBe(0)
    expect(deletes()).toEqual([])
  })

  it('keeps one uploaded long before ours when the listing omits its PEM: it may be newer', async () => {
    fixture = makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) })
    // Issued after ours, uploaded last year: an old run re-run must not delete it (rotation.ts).
    const newer = fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    // Ours, as the upload answers it and the listing holds it, so that only the missing PEM is odd.
    const ours = fake.seed(fixture.client.pem, { name: NAME })
    fake.inject({ method: 'POST', fault: successAnswer(publicView(ours.id)) })
    const withoutPem = { ...publicView(newer.id), certificates: undefined }
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: successAnswer([publicView(ours.id), withoutPem]),
    })
    const run = await runAction(immediately())
    expect(run.exitCode).toBe(0)
    expect(deletes()).toEqual([])
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Certificate ${newer.id} of the same name .*: kept, the listing gives no readable certificate text`,
        ),
      ),
    ])
  })
})

describe('our upload time comes from Cloudflare, never from the runner', () => {
  it('after a lost upload answer, a copy found without uploaded_on is not taken as ours', async () => {
    fixture = makeClient('ec')
    // The account already holds this very certificate under another name (uploaded by hand).
    const byHand = fake.seed(fixture.client.pem, { name: 'hand-made', uploadedOn: LAST_YEAR })
    const old = fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    fake.inject({ method: 'POST', fault: { kind: 'reset' } })
    const { uploaded_on: _u, ...noTime } = publicView(byHand.id)
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: successAnswer([noTime, publicView(old.id)]),
    })
    const run = await runAction(immediately())
    expect(run.exitCode).toBe(0)
    // Reused under another name: replace is skipped (upload-step.ts checkExisting), not run.
    expect(deletes()).toEqual([])
    expect(run.outputs.created).toBe('false')
    expect(warnings(run)).toEqual([
      expect.stringMatching(/^The account already holds this certificate as .* named 'hand-made'/),
    ])
  })

  it('takes the upload time from the listing when the upload answer has none', async () => {
    fixture = makeClient('ec')
    // Cloudflare's clock is behind the runner's: by Cloudflare, ours went in before the other run's.
    const ours = fake.seed(fixture.client.pem, { name: NAME, uploadedOn: isoAgo(10 * MINUTE) })
    const otherRun = fake.seed(makeClient('ec').client.pem, { name: NAME, uploadedOn: isoAgo(2 * MINUTE) })
    const old = fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    const { uploaded_on: _u, ...answer } = publicView(ours.id)
    fake.inject({ method: 'POST', fault: successAnswer(answer) })
    const run = await runAction(immediately())
    expect(run.exitCode).toBe(0)
    expect(errors(run)).toEqual([])
    // The runner's clock would have put the other run's upload before ours, and deleted it.
    expect(deletes()).toEqual([old.id])
    expect(fake.certificates.has(otherRun.id)).toBe(true)
  })

  it('deletes nothing, with a warning, when neither the answer nor the listing gives our upload time', async () => {
    fixture = makeClient('ec')
    const ours = fake.seed(fixture.client.pem, { name: NAME })
    const old = fake.seed(makeClient('ec', { notBefore: new Date(Date.now() - 2 * DAY) }).client.pem, {
      name: NAME,
      uploadedOn: LAST_YEAR,
    })
    const { uploaded_on: _u, ...answer } = publicView(ours.id)
    fake.inject({ method: 'POST', fault: successAnswer(answer) })
    fake.inject({ method: 'GET', pathSuffix: '/mtls_certificates', fault: successAnswer([answer, publicView(old.id)]) })
    const run = await runAction(clientInputs(fake, fixture, { replace: 'true' }))
    expect(run.exitCode).toBe(0)
    expect(errors(run)).toEqual([])
    expect(deletes()).toEqual([])
    expect(warnings(run)).toEqual([expect.stringMatching(new RegExp(`^Replace is skipped: .*${ours.id}`))])
    // Nothing is left to the post step either.
    expect(run.outputs['replace-candidates']).toBe('[]')
    expect(run.log).not.toContain('Replace is scheduled')
  })
})

describe('an association answer of unexpected shape keeps the certificate', () => {
  it.each([
    ['an object', { service: 'gateway' }],
    ['a string', 'none'],
    ['null', null],
    ['a number', 0],
    ['a list of strings', ['gateway']],
    ['a list holding null', [null]],
  ])('%s', async (_, answer) => {
    fixture = makeClient('ec')
    const old = older()
    fake.inject({ method: 'GET', pathSuffix: '/associations', fault: successAnswer(answer) })
    const done = await replaceNow()
    expect(done.exitCode).toBe(0)
    expect(fake.certificates.has(old.id)).toBe(true)
    expect(deletes()).toEqual([])
    expect(done.outputs['replaced-ids']).toBe('[]')
    expect(warnings(done)).toEqual([expect.stringMatching(new RegExp(`^Certificate ${old.id}.*kept`))])
  })
})

describe('ids from the listing', () => {
  it('makes no request for an id that is not a Cloudflare id, and warns', async () => {
    fixture = makeClient('ec')
    const odd = ['..', '', 'a/b', '%2e%2e', 'x?y=1'].map((id) => older({ id }).id)
    const valid = older()
    const done = await replaceNow()
    expect(done.exitCode).toBe(0)
    const after = fake.requests.filter(
      (r) => r.method !== 'POST' && !(r.method === 'GET' && r.path.endsWith('/mtls_certificates')),
    )
    expect(after.map((r) => `${r.method} ${r.path}${r.query}`)).toEqual([
      `GET /client/v4/accounts/${ACCOUNT_ID}/mtls_certificates/${valid.id}/associations`,
      `DELETE /client/v4/accounts/${ACCOUNT_ID}/mtls_certificates/${valid.id}`,
    ])
    expect(JSON.parse(done.outputs['replaced-ids'] ?? '')).toEqual([valid.id])
    const warned = warnings(done)
    expect(warned).toHaveLength(odd.length)
    for (const id of odd) expect(warned.some((w) => w.startsWith(`Certificate ${id} `))).toBe(true)
  })

  it('leaves an odd id out of the candidates the post step will consider', async () => {
    fixture = makeClient('ec')
    older({ id: '..' })
    const valid = older()
    const done = await run({ replace: 'true' })
    expect(JSON.parse(done.outputs['replace-candidates'] ?? '')).toEqual([valid.id])
  })
})

describe('certificates Cloudflare manages', () => {
  it('lists custom certificates only, so managed ones are never touched', async () => {
    fixture = makeClient('ec')
    const gateway = older({ type: 'gateway_managed' })
    const access = older({ type: 'access_managed' })
    const done = await replaceNow()
    expect(done.exitCode).toBe(0)
    for (const listing of fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/mtls_certificates')))
      expect(new URLSearchParams(listing.query).get('type')).toBe('custom')
    expect(fake.certificates.has(gateway.id) && fake.certificates.has(access.id)).toBe(true)
    expect(fake.requests.filter((r) => r.path.includes(gateway.id) || r.path.includes(access.id))).toEqual([])
  })

  it('filters on type too, counting a missing type as custom', async () => {
    fixture = makeClient('ec')
    const managed = older()
    const untyped = older()
    const { private_key: _none, ...managedView } = { ...managed, type: 'gateway_managed' }
    const { type: _custom, ...untypedView } = untyped
    // Ours, as the upload answers it: the listing must hold it for replace to delete anything.
    const { private_key: _key, ...oursView } = fake.seed(fixture.client.pem, { name: NAME })
    fake.inject({ method: 'POST', fault: successAnswer(oursView) })
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: successAnswer([managedView, untypedView, oursView]),
    })
    const done = await replaceNow()
    expect(done.exitCode).toBe(0)
    expect(fake.certificates.has(managed.id)).toBe(true)
    expect(fake.requests.filter((r) => r.path.includes(managed.id))).toEqual([])
    expect(JSON.parse(done.outputs['replaced-ids'] ?? '')).toEqual([untyped.id])
  })
})
