import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorAnswer, successAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  ACCOUNT_ID,
  API_EMAIL,
  API_KEY,
  API_TOKEN,
  clientInputs,
  makeClient,
  makeWorkspace,
  startFake,
  type ClientFixture,
} from '../../test-kit/fixtures.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import { run as runSource } from '../../src/main.ts'
import { runInProcess } from '../support/run-in-process.ts'

/**
 * The third hardening round (issue 15): the runner's `##[name]` command form, saved state and API
 * answers that must not lead to a delete, floods of annotations and long lines, and the messages a
 * new user meets. The main-step cases run the action's source in this process, as the runner would
 * run it (same inputs, files and output reading), to spare a process start each; the post step,
 * saved state, files, proxies and the global-key cases run the committed dist/ bundle.
 */

let fake: FakeCloudflare
let fixture: ClientFixture
const NAME = 'payments-client'
const LAST_YEAR = '2025-11-01T00:00:00Z'
/** What an over-long line would be: the runner and the log viewer handle lines up to a few KB well. */
const MAX_LINE_BYTES = 4096

useStandIn((started) => (fake = started))

const annotations = (run: ActionRun, level: 'error' | 'warning' | 'notice'): string[] =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message)
const errorOf = (run: ActionRun): string => annotations(run, 'error')[0] ?? ''
const deletes = (): string[] => fake.requestsTo('DELETE').map((r) => r.path)
/** Issued two hours ago, before any fixture (an hour ago): never taken for a newer certificate. */
const olderPem = (): string => makeClient('ec', { notBefore: new Date(Date.now() - 2 * 3_600_000) }).client.pem
const older = (fields: Parameters<FakeCloudflare['seed']>[1] = {}) =>
  fake.seed(olderPem(), { name: NAME, uploadedOn: LAST_YEAR, ...fields })

async function run(extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  const done = await runInProcess(runSource, clientInputs(fake, fixture, { name: NAME, ...extra }), { env })
  expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
  return done
}
const replaceNow = (extra: Record<string, string> = {}): Promise<ActionRun> =>
  run({ replace: 'true', 'replace-when': 'immediately', ...extra })

/** The runner acts on `##[name]data` anywhere in a line of output (its older command form). */
const OLD_FORM = ['##[warning]pwned', '##[add-mask]pwned', '##[set-env name=PWNED]x', '##[error title=t]pwned']
const hostile = (label: string): string => `${label} ${OLD_FORM.join(' ')}`

/** Lines of the raw output the runner would read as a command in its older form. */
const oldFormCommands = (done: ActionRun): string[] =>
  done.rawStdout.split(/\r\n|\r|\n/).filter((l) => l.includes('##['))

describe("the runner's ##[ command form", () => {
  it('is shown as text in API error messages, in the retry line and in the failure', async () => {
    fixture = makeClient('ec')
    fake.inject({ method: 'POST', fault: errorAnswer(500, [{ code: 1000, message: hostile('boom') }]) })
    fake.inject({ method: 'POST', fault: errorAnswer(400, [{ code: 1400, message: hostile('bad') }]) })
    const done = await run({ 'max-retries': '1' })
    expect(done.exitCode).toBe(1)
    expect(oldFormCommands(done)).toEqual([])
    expect(done.log).toMatch(/Attempt 1 of 2 to upload the certificate got HTTP 500: \[1000\] boom #/)
    expect(errorOf(done)).toMatch(/HTTP 400: \[1400\] bad #.*warning.*pwned/)
    expect(done.masks.filter((mask) => mask.includes('pwned'))).toEqual([])
  })

  it("is shown as text in the certificate's subject, in the log and in the summary", async () => {
    fixture = makeClient('ec', { commonName: hostile('client') })
    const done = await run()
    expect(done.exitCode).toBe(0)
    expect(oldFormCommands(done)).toEqual([])
    expect(done.log).toMatch(/Certificate CN=client #.*warning.*pwned/)
    expect(done.summary).not.toContain('##[')
  })

  it('is shown as text in ids from the listing, in the main and post steps, which still succeed', async () => {
    fixture = makeClient('ec')
    older({ id: hostile('id') })
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
      fault: successAnswer({ id: 'abc', name: hostile('name'), issuer: hostile('issuer'), ca: false }),
    })
    const done = await run()
    expect(done.exitCode).toBe(0)
    expect(oldFormCommands(done)).toEqual([])
    expect(done.summary).not.toContain('##[')
    expect(done.summary).toMatch(/name #/)
  })
})

describe('saved state the post step cannot trust', () => {
  const rotation = (overrides: Record<string, unknown> = {}): string =>
    JSON.stringify({
      id: '0123456789abcdef0123456789abcdef',
      name: NAME,
      ca: false,
      issuedAt: Date.now(),
      uploadedOn: new Date().toISOString(),
      ...overrides,
    })

  it('deletes the older certificate with a saved rotation that reads well', async () => {
    fixture = makeClient('ec')
    const old = older()
    // The certificate the rotation names is in the account: without it, nothing would be deleted.
    fake.seed(fixture.client.pem, { name: NAME, id: '0123456789abcdef0123456789abcdef' })
    const done = await runAction(clientInputs(fake, fixture, { name: NAME, replace: 'true' }), {
      state: { isPost: 'true', rotation: rotation() },
    })
    expect(done.exitCode).toBe(0)
    expect(deletes()).toEqual([expect.stringContaining(old.id)])
  })

  it.each([
    ['an upload time that is not a date', rotation({ uploadedOn: 'soon' })],
    ['an upload time JavaScript reads leniently', rotation({ uploadedOn: '1' })],
    ['an issue time that is not finite', rotation().replace(/"issuedAt":\d+/, '"issuedAt":1e999')],
    ['an issue time that is text', rotation({ issuedAt: '1700000000000' })],
    ['an id that is a path', rotation({ id: '..' })],
    ['an empty name', rotation({ name: '' })],
    ['a ca flag that is text', rotation({ ca: 'false' })],
    ['text that is not JSON', '{"id":'],
    ['a list', '[]'],
  ])('deletes nothing and warns once, with %s', async (_, saved) => {
    fixture = makeClient('ec')
    older()
    const done = await runAction(clientInputs(fake, fixture, { name: NAME, replace: 'true' }), {
      state: { isPost: 'true', rotation: saved },
    })
    expect(done.exitCode).toBe(0)
    expect(deletes()).toEqual([])
    expect(annotations(done, 'warning')).toEqual([expect.stringMatching(/saved.*delete|delete.*saved/i)])
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
    expect(annotations(done, 'warning')).toEqual([expect.stringMatching(new RegExp(`^Certificate ${old.id}.*kept`))])
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
    const warned = annotations(done, 'warning')
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

describe('a proxy URL without a scheme is taken as http://, as curl does', () => {
  const viaProxy = (proxy: string): Promise<ActionRun> =>
    run({ 'api-base-url': 'https://api.cloudflare.test/client/v4', 'max-retries': '0' }, { HTTPS_PROXY: proxy })

  it.each(['127.0.0.1:1', 'ci-user:pr0xy-s3cret-pw@127.0.0.1:1'])('%s', async (proxy) => {
    fixture = makeClient('ec')
    const done = await viaProxy(proxy)
    expect(done.exitCode).toBe(1)
    // Sent to the proxy on port 1, where nothing listens: the proxy URL was read as http://127.0.0.1:1.
    expect(errorOf(done)).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/)
    expect(errorOf(done)).not.toMatch(/UND_ERR|protocol/)
    expect(leakedSecrets(done, ['pr0xy-s3cret-pw'])).toEqual([])
  })

  it('refuses a proxy scheme other than http and https, naming the variable, without a stack trace', async () => {
    fixture = makeClient('ec')
    const done = await viaProxy('socks5://127.0.0.1:1')
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toMatch(/the proxy URL in HTTPS_PROXY is a socks5: URL/)
    expect(errorOf(done)).not.toMatch(/UND_ERR/)
    expect(done.stderr).not.toMatch(/\bat \S+ \(/)
  })
})

describe('chain files', () => {
  it('drops a repeated certificate, with a notice', async () => {
    fixture = makeClient('ec')
    const done = await run({ certificate: `${fixture.client.pem}${fixture.client.pem}${fixture.ca.pem}` })
    expect(done.exitCode).toBe(0)
    const sent = (fake.requestsTo('POST')[0]?.json as { certificates: string }).certificates
    expect(sent.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(annotations(done, 'notice')).toEqual([expect.stringMatching(/repeat/i)])
  })

  describe('PKCS#12 files', () => {
    let p12: Buffer | undefined
    beforeAll(() => {
      fixture = makeClient('ec')
      const dir = mkdtempSync(join(tmpdir(), 'mtls-p12-'))
      writeFileSync(join(dir, 'cert.pem'), fixture.client.pem)
      writeFileSync(join(dir, 'key.pem'), fixture.keyPem)
      try {
        execFileSync(
          'openssl',
          ['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-passout', 'pass:x', '-out', 'c.p12'],
          {
            cwd: dir,
            stdio: 'ignore',
          },
        )
        p12 = readFileSync(join(dir, 'c.p12'))
      } catch {
        p12 = undefined
      }
    })
    afterAll(() => undefined)

    it.each([
      ['certificate-path', 'client.p12'],
      ['certificate-path', 'bundle.bin'],
      ['private-key-path', 'client.pfx'],
    ])('is named in %s (%s), with the openssl pkcs12 commands', async (input, file) => {
      if (!p12) return
      const workspace = makeWorkspace({ [file]: p12, 'client.pem': fixture.client.pem })
      const inputs =
        input === 'certificate-path'
          ? { certificate: '', 'certificate-path': file }
          : { 'private-key': '', 'private-key-path': file }
      const done = await runAction(clientInputs(fake, fixture, { name: NAME, ...inputs }), { workspace })
      expect(done.exitCode).toBe(1)
      expect(errorOf(done).toLowerCase()).toMatch(new RegExp(`^${input} '${file}'`))
      expect(errorOf(done)).toMatch(/PKCS#12/)
      expect(errorOf(done)).toMatch(/openssl pkcs12 .*-nokeys/)
      expect(errorOf(done)).not.toMatch(/DER file|-inform der/)
      expect(fake.requests).toEqual([])
    })
  })
})

describe('a leaf certificate without its key', () => {
  it.each([
    ['is refused by default, naming the likely causes, before any request', {}],
    ['is refused with replace, so that no older certificate with its key is deleted', { replace: 'true' }],
  ])('%s', async (_, extra) => {
    fixture = makeClient('ec')
    older()
    const done = await run({ 'private-key': '', ...extra })
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toMatch(/^Input 'private-key' is empty/)
    expect(errorOf(done)).toMatch(/not set|misspelled/)
    expect(errorOf(done)).toMatch(/fork/)
    expect(errorOf(done)).toMatch(/allow-missing-key: true/)
    expect(fake.requests).toEqual([])
  })

  it('is uploaded without its key when the workflow says so', async () => {
    fixture = makeClient('ec')
    const done = await run({ 'private-key': '', 'allow-missing-key': 'true' })
    expect(done.exitCode).toBe(0)
    expect(fake.requestsTo('POST')[0]?.json).not.toHaveProperty('private_key')
  })

  it('refuses allow-missing-key that is not a boolean', async () => {
    fixture = makeClient('ec')
    const done = await run({ 'private-key': '', 'allow-missing-key': 'yes' })
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toMatch(/^Input 'allow-missing-key' must be true or false/)
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
