import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { errorAnswer, successAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  ACCOUNT_ID,
  API_TOKEN,
  clientInputs,
  makeClient,
  startFake,
  type ClientFixture,
  issuedEarlier,
} from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'

/**
 * Hostile answers and hostile environments, through dist/: text from outside must never become a
 * workflow command or Markdown, a hostile body must not outlast the time limit, and a finished upload
 * is never reported as failed.
 */

let fake: FakeCloudflare
let fixture: ClientFixture | undefined

beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())
afterEach(() => {
  fake.reset()
})

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

/** Each injection tries a different command after a different line break; the runner splits on CR and on LF. */
const INJECTIONS = [
  '\n::warning::pwned-warning',
  '\r::add-mask::pwned-mask',
  '\r\n::stop-commands::pwned-stop',
  '\n::error title=x::pwned-error',
  '\u2028\n::notice::pwned-notice',
]
const hostile = (label: string): string => `${label}${INJECTIONS.join('')}`

/** Lines of the raw output as the runner splits them, that it would read as a command carrying injected text. */
function injectedCommands(run: ActionRun): string[] {
  return run.rawStdout.split(/\r\n|\r|\n/).filter((line) => /^::[a-z-]+( [^:]*)?::pwned/i.test(line))
}

describe('workflow-command injection through logged text', () => {
  it('escapes API error messages, in the retry line and in the failure', async () => {
    fake.inject({ method: 'POST', fault: errorAnswer(500, [{ code: 1000, message: hostile('boom') }]) })
    fake.inject({ method: 'POST', fault: errorAnswer(400, [{ code: 1400, message: hostile('bad') }]) })
    const run = await upload({ 'max-retries': '1' })
    expect(run.exitCode).toBe(1)
    expect(injectedCommands(run)).toEqual([])
    expect(run.log).toMatch(/Attempt 1 of 2 to upload the certificate got HTTP 500: \[1000\] boom\\n::warning::pwned/)
    expect(errorOf(run)).toMatch(
      /^Could not upload the certificate after 2 attempts: HTTP 400: \[1400\] bad\\n::warning/,
    )
    expect(run.masks.filter((mask) => mask.includes('pwned'))).toEqual([])
  })

  it('escapes the fields of a successful answer: id, dates, name', async () => {
    fixture = makeClient('ec')
    fake.inject({
      method: 'POST',
      fault: successAnswer({
        id: hostile('id'),
        name: hostile('name'),
        issuer: hostile('issuer'),
        expires_on: hostile('2031'),
        uploaded_on: hostile('2025'),
        ca: false,
      }),
    })
    const run = await upload()
    expect(run.exitCode).toBe(0)
    expect(injectedCommands(run)).toEqual([])
    expect(run.log).toContain('Uploaded certificate id\\n::warning::pwned-warning\\r::add-mask::pwned-mask')
    expect(warnings(run)).toEqual([])
    // Outputs are data, written with a delimiter: the value is kept as the API gave it.
    expect(run.outputs['certificate-id']).toBe(hostile('id'))
  })

  it('escapes what replace logs: ids, upload times, services', async () => {
    fixture = makeClient('ec')
    fake.seed(issuedEarlier(), {
      name: 'payments-client',
      id: hostile('unknown-age'),
      uploadedOn: hostile('x'),
    })
    const inUse = fake.seed(issuedEarlier(), {
      name: 'payments-client',
      uploadedOn: '2024-01-01T00:00:00Z',
    })
    fake.associations.set(inUse.id, [{ service: hostile('gateway'), status: hostile('active') }])
    const run = await upload({ replace: 'true', 'replace-when': 'immediately' })
    expect(run.exitCode).toBe(0)
    expect(injectedCommands(run)).toEqual([])
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^Certificate unknown-age\\n::warning::pwned-warning\\r::add-mask::pwned-mask.*: kept, its upload time cannot be read/,
      ),
      expect.stringMatching(/: kept, still in use by gateway\\n::warning::pwned-warning/),
    ])
    expect(run.rawStdout).toContain(
      '::warning::Certificate unknown-age\\n::warning::pwned-warning\\r::add-mask::pwned-mask',
    )
  })
})

describe('job-summary injection', () => {
  it('keeps API-supplied values on one line, so that nothing renders as Markdown', async () => {
    fixture = makeClient('ec')
    const markdown =
      'x\n\n# Pwned heading\n\n![img](https://attacker.example/i.png) [link](https://attacker.example)\n\n'
    fake.inject({
      method: 'POST',
      fault: successAnswer({
        id: 'abc',
        name: markdown,
        issuer: markdown,
        expires_on: '2031-01-01T00:00:00Z',
        ca: false,
      }),
    })
    const run = await upload()
    expect(run.exitCode).toBe(0)
    expect(run.summary).not.toMatch(/\n\s*\n/)
    expect(run.summary).not.toMatch(/^#/m)
    expect(run.summary).toContain('<code>x\\n\\n# Pwned heading\\n\\n![img](https://attacker.example/i.png)')
  })
})

describe('hostile bodies stay within the time limit', () => {
  const EIGHT_MIB = 8 * 1024 * 1024

  it('reads an 8 MiB page of <title tags in linear time', async () => {
    const body = '<title'.repeat(Math.floor((EIGHT_MIB - 64) / 6))
    fake.inject({
      method: 'POST',
      fault: { kind: 'respond', status: 502, headers: { 'content-type': 'text/html' }, body },
    })
    const run = await upload({ 'max-retries': '0', 'timeout-seconds': '10' }, {})
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toMatch(
      /^Could not upload the certificate: the only attempt .* got HTTP 502 with a text\/html body of \d+ bytes/,
    )
    expect(run.durationMs).toBeLessThan(10_000)
  })

  it('reads a listed certificate whose certificates field is 8 MiB of BEGIN lines in linear time', async () => {
    fixture = makeClient('ec')
    fake.seed(fixture.client.pem, { name: 'payments-client' })
    const begin = '-----BEGIN CERTIFICATE-----\n'
    // As JSON, each line break takes two characters: the whole answer stays just under the 8 MiB cap.
    const junk = begin.repeat(Math.floor((EIGHT_MIB - 4096) / JSON.stringify(begin).length))
    fake.inject({
      method: 'GET',
      fault: successAnswer([{ id: 'junk', name: 'payments-client', ca: false, certificates: junk }]),
    })
    const run = await upload({ 'max-retries': '0', 'timeout-seconds': '10' })
    // The upload met 1471 (already there), and the listing that should hold it is junk: nothing to adopt.
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toMatch(/^Could not upload the certificate: HTTP 400: \[1471\]/)
    expect(run.durationMs).toBeLessThan(10_000)
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
