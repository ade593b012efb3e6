import { describe, expect, it } from 'vitest'
import { errorAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, clientInputs, makeClient, type ClientFixture, issuedEarlier } from '../../test-kit/fixtures.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep } from '../support/steps.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'

/**
 * Re-runs, replace (make before break) and dry runs, against the stand-in, from source in this process:
 * replace through dist/ is proven in post-step.test.ts and hostile-answers.test.ts.
 */

let fake: FakeCloudflare
const HOUR = 3_600_000
const DAY = 24 * HOUR
const hoursAgo = (hours: number): string => new Date(Date.now() - hours * HOUR).toISOString()

useStandIn((started) => (fake = started))

const calls = (): string[] => fake.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/mtls_certificates/, '')}`)
const idsNamed = (name: string): string[] =>
  [...fake.certificates.values()].filter((c) => c.name === name).map((c) => c.id)
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)

/**
 * One main step, replacing (when asked) in the step itself: the replace logic, tested without a post
 * step. In this process, unless `start` is `runAction`: runs at the same time each need a process.
 */
async function rotate(
  fixture: ClientFixture,
  inputs: Record<string, string> = {},
  start: typeof runAction = mainStep,
): Promise<ActionRun> {
  const run = await start(
    clientInputs(fake, fixture, { name: 'payments-client', 'replace-when': 'immediately', ...inputs }),
  )
  expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
  return run
}

describe('re-runs', () => {
  it('reports the certificate already there instead of uploading it again', async () => {
    const fixture = makeClient('ec')
    const first = await rotate(fixture)
    expect(first.outputs.created).toBe('true')
    fake.requests.length = 0

    const second = await rotate(fixture)
    expect(second.exitCode).toBe(0)
    expect(calls()).toEqual(['POST ', 'GET '])
    expect(second.outputs.created).toBe('false')
    const { created: _a, plan: _c, changes, ...sameOutputs } = second.outputs
    const { created: _b, plan: _d, ...firstOutputs } = first.outputs
    expect(firstOutputs.changes).toBe('1')
    expect(changes).toBe('0')
    delete firstOutputs.changes
    expect(sameOutputs).toEqual(firstOutputs)
    expect(fake.certificates.size).toBe(1)
    expect(second.log).toContain(`The account already holds this certificate as ${first.outputs['certificate-id']}`)
    expect(second.summary).toContain('already holds this mTLS certificate: nothing uploaded')
  })

  it('recognises the certificate by its leaf, not its name', async () => {
    const fixture = makeClient('ec')
    const seeded = fake.seed(fixture.client.pem, { name: 'uploaded by hand' })
    const run = await rotate(fixture)
    expect(run.exitCode).toBe(0)
    expect(run.outputs['certificate-id']).toBe(seeded.id)
    expect(run.outputs.created).toBe('false')
  })
})

describe('replace', () => {
  it('deletes the older certificate with the same name, and keeps other names', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })
    const otherName = fake.seed(issuedEarlier(), { name: 'billing-client', uploadedOn: hoursAgo(48) })
    const otherFlag = fake.seed(makeClient('ec').ca.pem, {
      name: 'payments-client',
      ca: true,
      uploadedOn: hoursAgo(48),
    })

    const run = await rotate(makeClient('ec'), { replace: 'true' })
    expect(run.exitCode).toBe(0)
    const ours = run.outputs['certificate-id'] ?? ''
    expect(calls()).toEqual(['POST ', 'GET ', `GET /${older.id}/associations`, `DELETE /${older.id}`])
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([older.id])
    expect([...fake.certificates.keys()].sort()).toEqual([ours, otherName.id, otherFlag.id].sort())
    expect(run.summary).toContain(`<code>${older.id}</code>`)
    expect(run.summary).toContain('deleted')
  })

  it('keeps a certificate still in use, with a warning naming it and its services, and deletes the idle one', async () => {
    const inUse = fake.seed(issuedEarlier(), {
      name: 'payments-client',
      uploadedOn: hoursAgo(72),
      inUseBy: ['gateway', 'access'],
    })
    const idle = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })

    const run = await rotate(makeClient('ec'), { replace: 'true' })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([idle.id])
    expect(fake.certificates.has(inUse.id)).toBe(true)
    expect(fake.certificates.has(idle.id)).toBe(false)
    expect(fake.requestsTo('DELETE').map((r) => r.path)).toEqual([expect.stringMatching(new RegExp(`/${idle.id}$`))])
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Certificate ${inUse.id} of the same name .*kept, still in use by gateway \\(active\\), access \\(active\\)`,
        ),
      ),
    ])
    expect(run.summary).toMatch(/kept<\/td><td>still in use by gateway/)
  })

  it('warns, but succeeds, when a delete fails: the new certificate is in place', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })
    fake.inject({
      method: 'DELETE',
      fault: errorAnswer(403, [{ code: 10000, message: 'Authentication error' }]),
    })
    const run = await rotate(makeClient('ec'), { replace: 'true' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['replaced-ids']).toBe('[]')
    expect(warnings(run)).toEqual([expect.stringContaining(`Certificate ${older.id} of the same name`)])
    expect(warnings(run)[0]).toContain('Could not delete certificate')
    expect(fake.certificates.size).toBe(2)
  })

  it('converges on one certificate when two runs rotate the same name at once', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })
    const [a, b] = [makeClient('ec'), makeClient('ec')]
    const runs = await Promise.all([
      rotate(a, { replace: 'true' }, runAction),
      rotate(b, { replace: 'true' }, runAction),
    ])
    for (const run of runs) expect(run.exitCode).toBe(0)

    const remaining = idsNamed('payments-client')
    expect(remaining).toHaveLength(1)
    expect(runs.map((run) => run.outputs['certificate-id'])).toContain(remaining[0])
    expect(fake.certificates.has(older.id)).toBe(false)
    // Every id deleted once at most, and never the surviving one.
    const deleted = runs.flatMap((run) => JSON.parse(run.outputs['replaced-ids'] ?? '[]') as string[])
    expect(new Set(deleted).size).toBe(deleted.length)
    expect(deleted).not.toContain(remaining[0])
  })
})

describe('rotation edge cases', () => {
  const internalError = errorAnswer(500, [{ code: 10001, message: 'Internal' }])

  it('on a re-run during a 503, reports the certificate that was already there as not created', async () => {
    const fixture = makeClient('ec')
    const seeded = fake.seed(fixture.client.pem, { name: 'payments-client', uploadedOn: hoursAgo(48) })
    fake.inject({ method: 'POST', fault: errorAnswer(503, [{ code: 10001, message: 'Internal' }]) })
    const run = await rotate(fixture)
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual(['POST ', 'GET '])
    expect(run.outputs).toMatchObject({ 'certificate-id': seeded.id, created: 'false' })
  })

  it('counts a delete whose answer was lost as done by this run', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })
    fake.inject({ method: 'DELETE', fault: { kind: 'reset-after-commit' } })
    const run = await rotate(makeClient('ec'), { replace: 'true' })
    expect(run.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(false)
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([older.id])
  })

  it('keeps the outputs and passes with a warning when replace cannot list after the upload', async () => {
    fake.inject({ method: 'GET', times: 10, fault: internalError })
    const run = await rotate(makeClient('ec'), { replace: 'true', 'max-retries': '1' })
    expect(run.exitCode).toBe(0)
    expect(fake.certificates.size).toBe(1)
    expect(run.outputs['certificate-id']).toBe([...fake.certificates.keys()][0])
    expect(warnings(run)).toEqual([
      expect.stringMatching(/^The certificate is in place, but replace could not finish: Could not list .*HTTP 500/),
    ])
  })

  it('converges when the run with the later-issued certificate uploads and finishes first', async () => {
    const old = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })
    const now = Date.now()
    const earlierIssued = makeClient('ec', { notBefore: new Date(now - 2 * HOUR) })
    const laterIssued = makeClient('ec', { notBefore: new Date(now - HOUR) })
    const first = await rotate(laterIssued, { replace: 'true' })
    const second = await rotate(earlierIssued, { replace: 'true' })
    expect([first.exitCode, second.exitCode]).toEqual([0, 0])
    expect(idsNamed('payments-client')).toEqual([second.outputs['certificate-id']])
    expect(JSON.parse(first.outputs['replaced-ids'] ?? '')).toEqual([old.id])
    expect(JSON.parse(second.outputs['replaced-ids'] ?? '')).toEqual([first.outputs['certificate-id']])
  })

  it('never deletes a newer certificate when an older one is uploaded later (an old run re-run)', async () => {
    const now = Date.now()
    const newer = makeClient('ec', { notBefore: new Date(now - HOUR), notAfter: new Date(now + 365 * DAY) })
    const older = makeClient('ec', { notBefore: new Date(now - 300 * DAY), notAfter: new Date(now + 60 * DAY) })
    const seededNewer = fake.seed(newer.client.pem, { name: 'payments-client', uploadedOn: hoursAgo(1) })
    const run = await rotate(older, { replace: 'true' })
    expect(run.exitCode).toBe(0)
    expect(fake.certificates.has(seededNewer.id)).toBe(true)
    expect(run.outputs['replaced-ids']).toBe('[]')
    expect(warnings(run)).toEqual([expect.stringContaining(`Certificate ${seededNewer.id} of the same name`)])
    expect(warnings(run)[0]).toContain('kept, issued after the certificate of this run')
  })

  it('refuses to reuse the same certificate held with the other ca flag', async () => {
    const fixture = makeClient('ec')
    const seeded = fake.seed(fixture.client.pem, { name: 'uploaded by hand', ca: true })
    const run = await rotate(fixture)
    expect(run.exitCode).toBe(1)
    expect(run.annotations.find((a) => a.level === 'error')?.message).toBe(
      `The account already holds this certificate as ${seeded.id}, uploaded with ca: true, and Cloudflare keeps one copy of a certificate. To use it with ca: false, delete ${seeded.id} first, or set ca: true.`,
    )
  })

  it('warns when it reuses the certificate under another name, and then leaves that name alone', async () => {
    const fixture = makeClient('ec')
    const seeded = fake.seed(fixture.client.pem, { name: 'uploaded by hand' })
    const previous = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(24) })
    const run = await rotate(fixture, { replace: 'true' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'certificate-id': seeded.id, name: 'uploaded by hand', created: 'false' })
    expect(warnings(run)).toEqual([
      expect.stringContaining(
        `named 'uploaded by hand', not 'payments-client': it is reused as it is, and replace is skipped`,
      ),
    ])
    expect(fake.certificates.has(previous.id)).toBe(true)
    expect(calls()).toEqual(['POST ', 'GET '])
  })
})

describe('dry run', () => {
  it('reads the account and reports, but writes nothing', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: hoursAgo(48) })
    const fixture = makeClient('ec')
    const run = await rotate(fixture, { 'dry-run': 'true', replace: 'true' })
    expect(run.exitCode).toBe(0)
    expect(fake.requests.map((r) => r.method).every((method) => method === 'GET')).toBe(true)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(fake.certificates.size).toBe(1)
    expect(run.outputs).toMatchObject({
      'certificate-id': '',
      created: 'false',
      'replaced-ids': '[]',
      'fingerprint-sha256': fixture.client.x509.fingerprint256,
      'expires-on': fixture.client.x509.validToDate.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'serial-number': BigInt(`0x${fixture.client.x509.serialNumber}`).toString(),
      issuer: 'CN=Test Root CA',
      signature: 'ECDSAWithSHA256',
    })
    expect(run.log).toContain('Would upload the certificate')
    expect(run.log).toContain(`Certificate ${older.id} of the same name (uploaded ${older.uploaded_on}): would delete`)
    expect(run.summary).toContain('Dry run: this certificate would be uploaded')
    expect(run.summary).toMatch(new RegExp(`<code>${older.id}</code>.*would delete`))
  })

  it('reports the existing id when the certificate is already there', async () => {
    const fixture = makeClient('ec')
    const seeded = fake.seed(fixture.client.pem, { name: 'payments-client' })
    const run = await rotate(fixture, { 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual(['GET '])
    expect(run.outputs['certificate-id']).toBe(seeded.id)
    expect(run.summary).toContain('Dry run: the account already holds this certificate')
  })

  it('fails on bad credentials, as the real run would', async () => {
    const run = await rotate(makeClient('ec'), { 'dry-run': 'true', 'api-token': 'not-the-token-0000' })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.find((a) => a.level === 'error')?.message).toContain(
      'HTTP 403: [10000] Authentication error',
    )
  })
})
