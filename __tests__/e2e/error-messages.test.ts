import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  ACCOUNT_ID,
  API_EMAIL,
  API_KEY,
  API_TOKEN,
  clientInputs,
  makeClient,
  startFake,
  type ClientFixture,
  issuedEarlier,
} from '../../test-kit/fixtures.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { run as runSource } from '../../src/main.ts'
import { runInProcess } from '../support/run-in-process.ts'

/**
 * What a failing run says: the cause Cloudflare's codes name, the auth in use, and a finished upload
 * never reported as failed. Through dist/; the messages for the auth in use by a token run the action's
 * source in this process, to spare a process start each.
 */

let fake: FakeCloudflare
let fixture: ClientFixture | undefined

useStandIn((started) => (fake = started))

async function upload(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  fixture ??= makeClient('ec')
  // Killed well before the test's own time-out, so that a hang fails with what the run printed.
  const run = await runAction(clientInputs(fake, fixture, inputs), { env, killAfterMs: 20_000 })
  expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
  return run
}
const errorOf = (run: ActionRun): string | undefined => run.annotations.find((a) => a.level === 'error')?.message
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)

/** The main step run from source in this process. */
async function run(extra: Record<string, string> = {}): Promise<ActionRun> {
  fixture ??= makeClient('ec')
  const done = await runInProcess(runSource, clientInputs(fake, fixture, { name: 'payments-client', ...extra }))
  expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
  return done
}

describe('messages name the right cause', () => {
  it('calls a 503 with code 10000 Cloudflare trouble, not a credentials problem', async () => {
    fake.inject({
      method: 'POST',
      times: 2,
      fault: errorAnswer(503, [{ code: 10000, message: 'Service unavailable' }]),
    })
    const run = await upload({ 'max-retries': '1' })
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toBe(
      'Could not upload the certificate: all 2 attempts failed; the last one got HTTP 503: [10000] Service unavailable. Cloudflare, or a proxy in between, is having trouble: re-run the job later (https://www.cloudflarestatus.com lists incidents).',
    )
    expect(run.log).not.toMatch(/does not accept|\)\.[;,]/)
  })
})

describe('messages for the auth in use', () => {
  const PERMISSION = 'Account → SSL and Certificates → Edit'

  it.each([9109, 10000])('names both causes and the permission for a token refused with %i', async (code) => {
    fixture = makeClient('ec')
    fake.inject({
      method: 'POST',
      fault: errorAnswer(403, [{ code, message: 'Unauthorized to access requested resource' }]),
    })
    const done = await run()
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toContain(PERMISSION)
    expect(errorOf(done)).toMatch(/both when it does not accept the API token .*, when the token lacks/)
    expect(errorOf(done)).not.toMatch(/role/)
  })

  describe('with api-email and api-key', () => {
    let keyed: FakeCloudflare
    beforeAll(async () => {
      keyed = await startFake({ email: API_EMAIL, key: API_KEY })
    })
    afterAll(() => keyed.stop())

    const withKey = async (extra: Record<string, string>): Promise<ActionRun> => {
      fixture = makeClient('ec')
      const inputs = { ...clientInputs(keyed, fixture), 'api-token': '', 'api-email': API_EMAIL, 'api-key': API_KEY }
      const done = await runAction({ ...inputs, ...extra })
      expect(leakedSecrets(done, [API_KEY, fixture.keyPem])).toEqual([])
      expect(done.exitCode).toBe(1)
      return done
    }

    it('speaks of api-email and api-key, not of a token, for a key Cloudflare refuses', async () => {
      const done = await withKey({ 'api-key': `${API_KEY}0` })
      expect(errorOf(done)).toMatch(/api-email and api-key/)
      expect(errorOf(done)).not.toMatch(/api-token must|the token/)
      expect(errorOf(done)).toMatch(/permission|role/)
    })

    it('asks for an account the user belongs to on 7003, with no double punctuation', async () => {
      const done = await withKey({ 'account-id': 'ffffffffffffffffffffffffffffffff' })
      expect(errorOf(done)).toMatch(/\[7003\] Could not route/)
      expect(errorOf(done)).not.toMatch(/token/)
      expect(errorOf(done)).toMatch(/account-id/)
      expect(errorOf(done)).not.toMatch(/[?!.][.]/)
    })
  })

  it('says "1 certificate", not "1 certificate(s)"', async () => {
    fixture = makeClient('ec')
    const done = await run()
    expect(done.log).toMatch(/; 1 certificate in the chain/)
    expect(done.log).not.toContain('(s)')
  })
})

describe("Cloudflare's own codes", () => {
  it('explains a full CA quota (1489) and names the same-name CA certificates that could go first', async () => {
    const name = 'partner-root'
    const older = fake.seed(makeClient('ec').ca.pem, { name, ca: true, uploadedOn: '2024-01-01T00:00:00Z' })
    const oldest = fake.seed(makeClient('ec').ca.pem, { name, ca: true, uploadedOn: '2023-01-01T00:00:00Z' })
    fake.seed(makeClient('ec').ca.pem, { name: 'other-root', ca: true, uploadedOn: '2022-01-01T00:00:00Z' })
    fake.inject({ method: 'POST', fault: errorAnswer(400, [{ code: 1489, message: 'CA certificate quota exceeded' }]) })
    const ca = makeClient('ec').ca
    const run = await runAction({
      'account-id': ACCOUNT_ID,
      'api-token': API_TOKEN,
      'api-base-url': fake.url,
      certificate: ca.pem,
      ca: 'true',
      name,
      replace: 'true',
    })
    expect(run.exitCode).toBe(1)
    const message = errorOf(run) ?? ''
    expect(message).toMatch(
      /^Could not upload the certificate: HTTP 400: \[1489\] CA certificate quota exceeded\. The account holds as many CA certificates as Cloudflare allows/,
    )
    expect(message).toContain('replace deletes older certificates only after the new one is uploaded')
    expect(message).toContain(
      `CA certificates named '${name}', oldest first: ${oldest.id} ('${name}', uploaded 2023-01-01T00:00:00Z), ${older.id} ('${name}', uploaded 2024-01-01T00:00:00Z).`,
    )
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET'])
  })

  it('counts a 1472 on a DELETE retried after a lost answer as this run’s delete', async () => {
    fixture = makeClient('ec')
    const older = fake.seed(issuedEarlier(), {
      name: 'payments-client',
      uploadedOn: '2024-01-01T00:00:00Z',
    })
    fake.inject({ method: 'DELETE', fault: { kind: 'reset-after-commit' } })
    fake.inject({ method: 'DELETE', fault: errorAnswer(400, [{ code: 1472, message: 'Certificate not found' }]) })
    const run = await upload({ replace: 'true', 'replace-when': 'immediately' })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([older.id])
    expect(warnings(run)).toEqual([])
  })

  it('reports a certificate another run deleted first (1472) as already gone', async () => {
    fixture = makeClient('ec')
    fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: '2024-01-01T00:00:00Z' })
    fake.inject({ method: 'DELETE', fault: errorAnswer(400, [{ code: 1472, message: 'Certificate not found' }]) })
    const run = await upload({ replace: 'true', 'replace-when': 'immediately' })
    expect(run.exitCode).toBe(0)
    expect(run.log).toMatch(/: already gone, deleted meanwhile, by another run\./)
    expect(warnings(run)).toEqual([])
  })
})

describe('a finished upload is never reported as failed', () => {
  it.each([
    ['unset', { GITHUB_STEP_SUMMARY: '' }],
    ['a directory', { GITHUB_STEP_SUMMARY: mkdtempSync(join(tmpdir(), 'mtls-summary-dir-')) }],
    ['in a missing folder', { GITHUB_STEP_SUMMARY: join(tmpdir(), 'no-such-folder-mtls', 'summary.md') }],
  ])('passes with a warning when the summary file is %s', async (_, env) => {
    fixture = makeClient('ec')
    const older = fake.seed(issuedEarlier(), {
      name: 'payments-client',
      uploadedOn: '2024-01-01T00:00:00Z',
    })
    const run = await upload({ replace: 'true', 'replace-when': 'immediately' }, env)
    expect(run.exitCode).toBe(0)
    expect(run.outputs.created).toBe('true')
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([older.id])
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^The job summary could not be written \(.+\); what the step did stands, as logged above\.$/,
      ),
    ])
  })
})
