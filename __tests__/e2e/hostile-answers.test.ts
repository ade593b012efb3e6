import { beforeAll, describe, expect, it } from 'vitest'
import { errorAnswer, successAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, clientInputs, makeClient, type ClientFixture, issuedEarlier } from '../../test-kit/fixtures.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import { run as runSource } from '../../src/main.ts'
import { runInProcess } from '../support/run-in-process.ts'

/**
 * Hostile answers: text from outside (API answers, certificate fields) never becomes a workflow command,
 * in either of the runner's forms, nor Markdown in the summary; a hostile body does not outlast the time
 * limit; a flood of candidates does not flood the log. The `::` cases and the bodies run the committed
 * dist/; the `##[` cases and the floods run the action's source in this process (same inputs, files and
 * output reading), to spare a process start each.
 */

let fake: FakeCloudflare
let fixture: ClientFixture | undefined
const NAME = 'payments-client'
const LAST_YEAR = '2025-11-01T00:00:00Z'
/** What an over-long line would be: the runner and the log viewer handle lines up to a few KB well. */
const MAX_LINE_BYTES = 4096

useStandIn((started) => (fake = started))

async function upload(inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  fixture ??= makeClient('ec')
  // Killed well before the test's own time-out, so that a hang fails with what the run printed.
  const run = await runAction(clientInputs(fake, fixture, inputs), { env, killAfterMs: 20_000 })
  expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
  return run
}
const annotations = (run: ActionRun, level: 'error' | 'warning' | 'notice'): string[] =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message)
const errorOf = (run: ActionRun): string | undefined => run.annotations.find((a) => a.level === 'error')?.message
const warnings = (run: ActionRun): string[] => annotations(run, 'warning')
const deletes = (): string[] => fake.requestsTo('DELETE').map((r) => r.path)
/** Issued two hours ago, before any fixture (an hour ago): never taken for a newer certificate. */
const olderPem = (): string => makeClient('ec', { notBefore: new Date(Date.now() - 2 * 3_600_000) }).client.pem
const older = (fields: Parameters<FakeCloudflare['seed']>[1] = {}) =>
  fake.seed(olderPem(), { name: NAME, uploadedOn: LAST_YEAR, ...fields })

/** The main step run from source in this process. */
async function run(extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  fixture ??= makeClient('ec')
  const done = await runInProcess(runSource, clientInputs(fake, fixture, { name: NAME, ...extra }), { env })
  expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
  return done
}
const replaceNow = (extra: Record<string, string> = {}): Promise<ActionRun> =>
  run({ replace: 'true', 'replace-when': 'immediately', ...extra })

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

/** The runner acts on `##[name]data` anywhere in a line of output (its older command form). */
const OLD_FORM = ['##[warning]pwned', '##[add-mask]pwned', '##[set-env name=PWNED]x', '##[error title=t]pwned']
const hostileOldForm = (label: string): string => `${label} ${OLD_FORM.join(' ')}`

/** Lines of the raw output the runner would read as a command in its older form. */
const oldFormCommands = (done: ActionRun): string[] =>
  done.rawStdout.split(/\r\n|\r|\n/).filter((l) => l.includes('##['))

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

describe("the runner's ##[ command form", () => {
  it('is shown as text in API error messages, in the retry line and in the failure', async () => {
    fixture = makeClient('ec')
    fake.inject({ method: 'POST', fault: errorAnswer(500, [{ code: 1000, message: hostileOldForm('boom') }]) })
    fake.inject({ method: 'POST', fault: errorAnswer(400, [{ code: 1400, message: hostileOldForm('bad') }]) })
    const done = await run({ 'max-retries': '1' })
    expect(done.exitCode).toBe(1)
    expect(oldFormCommands(done)).toEqual([])
    expect(done.log).toMatch(/Attempt 1 of 2 to upload the certificate got HTTP 500: \[1000\] boom #/)
    expect(errorOf(done)).toMatch(/HTTP 400: \[1400\] bad #.*warning.*pwned/)
    expect(done.masks.filter((mask) => mask.includes('pwned'))).toEqual([])
  })

  it("is shown as text in the certificate's subject, in the log and in the summary", async () => {
    fixture = makeClient('ec', { commonName: hostileOldForm('client') })
    const done = await run()
    expect(done.exitCode).toBe(0)
    expect(oldFormCommands(done)).toEqual([])
    expect(done.log).toMatch(/Certificate CN=client #.*warning.*pwned/)
    expect(done.summary).not.toContain('##[')
  })

  it('is shown as text in ids from the listing, in the main and post steps, which still succeed', async () => {
    fixture = makeClient('ec')
    older({ id: hostileOldForm('id') })
    const main = await run({ replace: 'true' })
    expect(main.exitCode).toBe(0)
    const post = await runPostStep(clientInputs(fake, fixture, { name: NAME, replace: 'true' }), main)
    expect(post.exitCode).toBe(0)
    for (const done of [main, post]) {
      expect(oldFormCommands(done)).toEqual([])
      expect(done.summary).not.toContain('##[')
    }
    expect(annotations(post, 'warning').join('\n')).toMatch(/id #.*warning.*pwned/)
  })

  it('is shown as text in the summary, whatever the API answered', async () => {
    fixture = makeClient('ec')
    fake.inject({
      method: 'POST',
      fault: successAnswer({ id: 'abc', name: hostileOldForm('name'), issuer: hostileOldForm('issuer'), ca: false }),
    })
    const done = await run()
    expect(done.exitCode).toBe(0)
    expect(oldFormCommands(done)).toEqual([])
    expect(done.summary).not.toContain('##[')
    expect(done.summary).toMatch(/name #/)
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

describe('hostile answers stay linear', () => {
  /** Just under the 8 MiB answer cap, as JSON: BEGIN lines without END, the worst case for a backtracking scan. */
  function hostileListing(): string {
    const unit = '-----BEGIN CERTIFICATE-----\n'
    const certificates = unit.repeat(Math.floor((7.5 * 1024 * 1024) / JSON.stringify(unit).length))
    const result = [{ id: 'f'.repeat(32), name: 'payments-client', ca: false, certificates }]
    return JSON.stringify({ success: true, errors: [], messages: [], result })
  }

  let good: ClientFixture
  beforeAll(() => {
    good = makeClient('ec')
  })

  it('reads a listed certificate full of BEGIN lines within the time limit', async () => {
    fake.inject({ method: 'GET', fault: { kind: 'respond', status: 200, body: hostileListing() } })
    const run = await runAction(clientInputs(fake, good, { 'dry-run': 'true', 'timeout-seconds': '10' }), {
      killAfterMs: 20_000,
    })
    expect(run.exitCode).toBe(0)
    expect(run.durationMs).toBeLessThan(10_000)
    expect(run.log).toContain('Would upload the certificate')
  })
})

describe('floods', () => {
  const longLines = (done: ActionRun): number[] =>
    done.rawStdout
      .split('\n')
      .map((line) => Buffer.byteLength(line))
      .filter((bytes) => bytes > MAX_LINE_BYTES)

  it('groups the warnings about many kept certificates into one annotation past a handful', async () => {
    fixture = makeClient('ec')
    const pem = olderPem()
    const kept = Array.from({ length: 300 }, () =>
      fake.seed(pem, { name: NAME, uploadedOn: LAST_YEAR, inUseBy: ['gateway'] }),
    )
    fixture = makeClient('ec')
    const done = await replaceNow({ 'timeout-seconds': '60' })
    expect(done.exitCode).toBe(0)
    const warned = annotations(done, 'warning')
    expect(warned.length).toBeLessThanOrEqual(6)
    expect(warned.at(-1)).toMatch(/\b295\b/)
    // Each kept certificate is still named in the log.
    for (const certificate of kept) expect(done.log).toContain(certificate.id)
    expect(longLines(done)).toEqual([])
  })

  it('stops once timeout-seconds is spent and says once how many were not checked', async () => {
    fixture = makeClient('ec')
    const pem = olderPem()
    const all = Array.from({ length: 40 }, () => fake.seed(pem, { name: NAME, uploadedOn: LAST_YEAR }))
    fixture = makeClient('ec')
    fake.inject({ method: 'GET', pathSuffix: '/associations', fault: { kind: 'hang' } })
    const done = await replaceNow({ 'timeout-seconds': '2', 'max-retries': '0' })
    expect(done.exitCode).toBe(0)
    expect(deletes()).toEqual([])
    expect(fake.requestsTo('GET', '/associations')).toHaveLength(1)
    for (const certificate of all) expect(fake.certificates.has(certificate.id)).toBe(true)
    const warned = annotations(done, 'warning')
    expect(warned).toEqual([
      expect.stringMatching(/^40 older certificates .*not checked, as timeout-seconds \(2 s\) ran out/),
    ])
  })

  it('keeps every log line under 4 KB with 3,000 candidates, while the output lists them all', async () => {
    const pem = olderPem()
    const ids = Array.from({ length: 3000 }, () => fake.seed(pem, { name: NAME, uploadedOn: LAST_YEAR }).id)
    fixture = makeClient('ec')
    const done = await run({ replace: 'true' })
    expect(done.exitCode).toBe(0)
    expect([...JSON.parse(done.outputs['replace-candidates'] ?? '[]')].sort()).toEqual([...ids].sort())
    expect(longLines(done)).toEqual([])
    expect(done.log).toMatch(/Replace is scheduled for the end of the job/)
  })
})
