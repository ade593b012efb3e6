import { describe, expect, it } from 'vitest'
import { successAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { clientInputs, makeClient, type ClientFixture } from '../../test-kit/fixtures.ts'
import { runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'

/**
 * `replace` fails closed: when the account's answers do not show which certificate is older, or that
 * the new one is still there, it deletes nothing. Through the committed dist/, against the stand-in.
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
