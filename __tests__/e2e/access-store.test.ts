import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createHttpClient } from '../../src/cloudflare/http.ts'
import { run } from '../../src/main.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID, makeClient, makeWorkspace } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun, type RunOptions } from '../../test-kit/run-action.ts'
import type { FakeGitHub } from '../support/fake-github.ts'
import { HEAD_SHA, pullRequestEvent } from '../support/manifest-workspace.ts'
import { runInProcess } from '../support/run-in-process.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep } from '../support/steps.ts'
import { FakeClock } from '../unit/fakes.ts'

/**
 * Access mTLS CAs (Zero Trust) as a store of the one pipeline (issue 31), through dist/ against the
 * stand-in's Access store (test-kit/fake-access.ts): a CA uploaded with its hostnames, account-wide
 * and zone-wide, adopted on a re-run, rotated make-before-break with the old CA retired at the end of
 * the job (or at once) through Cloudflare's late "active associations", a refused double association
 * leaving the old CA serving, `swap: detach-first` planned as a gap, dry runs that only read, the
 * drift check, the pull request's comment, bad input refused before any request, and no secret shown.
 * Retires that wait run in this process on a clock that records its waits instead of sleeping them.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
const GITHUB_TOKEN = 'ghs_acc3ssStoreT0kenDDDDDDDDDDDDDDDDDDDDD'
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))

const NAME = 'partners-ca'
const HOSTNAMES = ['app.example.com', 'admin.example.com']
const ACCOUNT = `accounts/${ACCOUNT_ID}`
const ZONE = `zones/${ZONE_ID}`
const MANIFEST = 'deploy/certificates.yml'
const PEM = 'deploy/pki/partners.pem'
const DRIFT = { 'dry-run': 'true', 'fail-on-changes': 'true' }
/** Every debug line the runner can be asked for: a secret must not reach those either. */
const DEBUG = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }

const newCa = (commonName = 'Partners CA'): string =>
  issueCertificate({ commonName, key: generateKey('ec'), ca: true }).pem

/** The Access entry, with `extra` lines of its own (each indented for the entry). */
const accessEntry = (extra: string[] = []): string =>
  [
    `  - name: ${NAME}`,
    '    store: access',
    '    certificate: pki/partners.pem',
    `    hostnames: [${HOSTNAMES.join(', ')}]`,
    ...extra.map((line) => `    ${line}`),
  ].join('\n')

const manifestOf = (...entries: string[]): string => `version: 1\ncertificates:\n${entries.join('\n')}\n`

interface Repository {
  workspace: string
  pem: string
  options: RunOptions
}

function repository(manifest: string, files: Record<string, string> = {}, pem = newCa()): Repository {
  const workspace = makeWorkspace({ [MANIFEST]: manifest, [PEM]: pem, ...files })
  return { workspace, pem, options: { workspace, env: { GITHUB_API_URL: gitHub.url, ...DEBUG } } }
}

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'account-id': ACCOUNT_ID,
  'api-token': API_TOKEN,
  'api-base-url': fake.url,
  manifest: MANIFEST,
  ...extra,
})

/** What the stand-in received, as `METHOD /accounts/…` (or `/zones/…`), with the body when one was sent. */
const calls = (): string[] =>
  fake.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/client\/v4/, '')}${r.body ? ` ${r.body}` : ''}`)
const methods = (): string[] => [...new Set(fake.requests.map((r) => r.method))]
const position = (list: string[], prefix: string): number => {
  const index = list.findIndex((call) => call.startsWith(prefix))
  expect(index, `${prefix} in\n${list.join('\n')}`).toBeGreaterThanOrEqual(0)
  return index
}

type Row = { name: string; action: string; store?: string; id?: string; hostnames?: string[]; reason?: string }
const planOf = (run: ActionRun): Row[] => JSON.parse(run.outputs.plan ?? '[]') as Row[]
const actionsOf = (run: ActionRun, name = NAME): string[] =>
  planOf(run)
    .filter((row) => row.name === name)
    .map((row) => row.action)
const idsOf = (run: ActionRun): Record<string, string> =>
  Object.fromEntries(
    Object.entries(JSON.parse(run.outputs.certificates ?? '{}') as Record<string, { id: string }>).map(([n, c]) => [
      n,
      c.id,
    ]),
  )
const messages = (run: ActionRun, level: 'error' | 'warning'): string[] =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message)
const hostnamesOf = (id: string): string[] | undefined => fake.access.certificates.get(id)?.associated_hostnames
const seedOld = (hostnames = HOSTNAMES) =>
  fake.access.seed(newCa('Partners CA, last year'), { owner: ACCOUNT, name: NAME, hostnames })

/** The main or post step from source in this process, on a clock that records its waits instead of sleeping. */
function onClock(clock: FakeClock) {
  return (stepInputs: Record<string, string>, options: RunOptions): Promise<ActionRun> =>
    runInProcess(run, stepInputs, { ...options, dependencies: { http: createHttpClient(), clock } })
}

describe('an Access CA uploaded with its hostnames, and adopted on a re-run', () => {
  it('plans with reads only, uploads account-wide and zone-wide, and sends no upload on a re-run (dist/)', async () => {
    const zonePem = newCa('Zone partners CA')
    const repo = repository(
      manifestOf(
        accessEntry(),
        [
          '  - name: zone-partners-ca',
          '    store: access',
          '    certificate: pki/zone.pem',
          `    zone-id: ${ZONE_ID}`,
          '    hostnames: [zone.example.com]',
        ].join('\n'),
      ),
      { 'deploy/pki/zone.pem': zonePem },
    )

    const planned = await runAction(inputs({ 'dry-run': 'true' }), repo.options)
    expect(messages(planned, 'error')).toEqual([])
    expect(methods()).toEqual(['GET'])
    expect(calls()).toEqual([
      `GET /accounts/${ACCOUNT_ID}/access/certificates`,
      `GET /zones/${ZONE_ID}/access/certificates`,
    ])
    expect(planOf(planned)).toEqual([
      { name: NAME, action: 'upload', store: `Access, account ${ACCOUNT_ID}`, hostnames: HOSTNAMES },
      {
        name: 'zone-partners-ca',
        action: 'upload',
        store: `Access, zone ${ZONE_ID}`,
        hostnames: ['zone.example.com'],
      },
    ])
    expect(fake.access.certificates.size).toBe(0)

    fake.requests.length = 0
    const applied = await runAction(inputs(), repo.options)
    expect(messages(applied, 'error')).toEqual([])
    const ids = idsOf(applied)
    const posts = fake.requestsTo('POST')
    expect(posts.map((r) => r.path.replace(/^.*\/client\/v4/, ''))).toEqual([
      `/accounts/${ACCOUNT_ID}/access/certificates`,
      `/zones/${ZONE_ID}/access/certificates`,
    ])
    expect(posts.map((r) => r.json)).toEqual([
      { certificate: repo.pem.trim(), name: NAME, associated_hostnames: HOSTNAMES },
      { certificate: zonePem.trim(), name: 'zone-partners-ca', associated_hostnames: ['zone.example.com'] },
    ])
    expect(fake.access.ownedBy(ACCOUNT).map((c) => [c.id, c.name, c.associated_hostnames])).toEqual([
      [ids[NAME], NAME, HOSTNAMES],
    ])
    expect(fake.access.ownedBy(ZONE).map((c) => [c.id, c.name, c.associated_hostnames])).toEqual([
      [ids['zone-partners-ca'], 'zone-partners-ca', ['zone.example.com']],
    ])
    expect(applied.log).toContain(
      `Uploaded Access CA '${NAME}' to account ${ACCOUNT_ID} as ${ids[NAME]} with ${HOSTNAMES.join(', ')}.`,
    )

    // A re-run, the PEM committed again with other line endings: the same CA by content, nothing sent.
    writeFileSync(join(repo.workspace, PEM), repo.pem.replace(/\n/g, '\r\n'))
    fake.requests.length = 0
    const again = await mainStep(inputs(), repo.options)
    expect(messages(again, 'error')).toEqual([])
    expect(methods()).toEqual(['GET'])
    expect(planOf(again).map((row) => [row.name, row.action, row.id])).toEqual([
      [NAME, 'reuse', ids[NAME]],
      ['zone-partners-ca', 'reuse', ids['zone-partners-ca']],
    ])
    expect(again.outputs.changes).toBe('0')
    expect(idsOf(again)).toEqual(ids)

    for (const done of [planned, applied, again]) expect(leakedSecrets(done, [API_TOKEN])).toEqual([])
  })

  it('plans, as a detach, a hostname the adopted CA holds beyond the entry: the drift check names it, a run takes it off', async () => {
    const repo = repository(manifestOf(accessEntry()))
    const mine = fake.access.seed(repo.pem, {
      owner: ACCOUNT,
      name: NAME,
      hostnames: [...HOSTNAMES, 'extra.example.com'],
    })
    const drift = await mainStep(inputs(DRIFT), repo.options)
    expect(drift.exitCode).toBe(1)
    expect(planOf(drift)).toEqual([
      {
        name: NAME,
        action: 'reuse',
        store: `Access, account ${ACCOUNT_ID}`,
        id: mine.id,
        reason: 'same CA already in Access',
      },
      { name: NAME, action: 'attach', store: `Access, account ${ACCOUNT_ID}`, id: mine.id, hostnames: HOSTNAMES },
      {
        name: NAME,
        action: 'detach',
        store: `Access, account ${ACCOUNT_ID}`,
        id: mine.id,
        hostnames: ['extra.example.com'],
        reason: 'not in the entry: this run gives them to no other CA',
      },
    ])
    expect(messages(drift, 'error').join('\n')).toMatch(/fail-on-changes.*partners-ca detach/)
    expect(methods()).toEqual(['GET'])

    const applied = await mainStep(inputs(), repo.options)
    expect(messages(applied, 'error')).toEqual([])
    expect(hostnamesOf(mine.id)).toEqual(HOSTNAMES)
    expect(applied.log).toContain(`Took extra.example.com off Access CA '${NAME}' (${mine.id})`)
  })

  it("uploads from the single step's inputs, with certificate-id in its outputs, and reuses it on a re-run (dist/)", async () => {
    const repo = repository('')
    const single = {
      'account-id': ACCOUNT_ID,
      'api-token': API_TOKEN,
      'api-base-url': fake.url,
      store: 'access',
      'certificate-path': PEM,
      name: NAME,
      hostnames: HOSTNAMES.join(', '),
    }
    const uploaded = await runAction(single, repo.options)
    expect(messages(uploaded, 'error')).toEqual([])
    const id = uploaded.outputs['certificate-id'] ?? ''
    expect(hostnamesOf(id)).toEqual(HOSTNAMES)
    expect(uploaded.outputs).toMatchObject({ created: 'true', ca: 'true', name: NAME })
    // When Cloudflare stored it, as it says: the summary does not call the upload "not uploaded".
    const storedOn = fake.access.certificates.get(id)?.created_at
    expect(uploaded.outputs['uploaded-on']).toBe(storedOn)
    expect(uploaded.summary).toContain(`<tr><th align="left">Uploaded on</th><td><code>${storedOn}</code></td></tr>`)
    expect(JSON.parse(uploaded.outputs.hostnames ?? '')).toEqual(HOSTNAMES)
    expect(calls()).toEqual([
      `GET /accounts/${ACCOUNT_ID}/access/certificates`,
      `POST /accounts/${ACCOUNT_ID}/access/certificates ${JSON.stringify({ certificate: repo.pem.trim(), name: NAME, associated_hostnames: HOSTNAMES })}`,
    ])

    fake.requests.length = 0
    const again = await mainStep(single, repo.options)
    expect(again.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ 'certificate-id': id, created: 'false', 'uploaded-on': storedOn })
    expect(methods()).toEqual(['GET'])
    for (const done of [uploaded, again]) expect(leakedSecrets(done, [API_TOKEN])).toEqual([])
  })
})

describe('a rotation: the new CA gets the hostnames before the old CA lets go of them', () => {
  it('moves them in the main step, retires the old CA in the post step through "active associations", then the drift check passes (dist/)', async () => {
    const old = seedOld()
    const repo = repository(manifestOf(accessEntry(['replace: true'])))
    fake.access.refuseSharedHostnames = false
    fake.access.hostnameReadLag = 1
    fake.access.deleteRefusals = 1

    const main = await runAction(inputs(), repo.options)
    expect(messages(main, 'error')).toEqual([])
    const id = idsOf(main)[NAME] ?? ''
    const sent = calls()
    // Make before break: the upload, then the new CA's hostnames, and only then the old CA's detach.
    expect(position(sent, `POST /accounts/${ACCOUNT_ID}/access/certificates`)).toBeLessThan(
      position(sent, `PUT /accounts/${ACCOUNT_ID}/access/certificates/${id} `),
    )
    expect(sent).toContain(
      `PUT /accounts/${ACCOUNT_ID}/access/certificates/${id} ${JSON.stringify({ associated_hostnames: HOSTNAMES })}`,
    )
    expect(position(sent, `PUT /accounts/${ACCOUNT_ID}/access/certificates/${id} `)).toBeLessThan(
      position(sent, `PUT /accounts/${ACCOUNT_ID}/access/certificates/${old.id} {"associated_hostnames":[]}`),
    )
    expect(hostnamesOf(id)).toEqual(HOSTNAMES)
    // Retired at the end of the job: still there after the main step, its hostnames gone.
    expect(hostnamesOf(old.id)).toEqual([])
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(planOf(main).filter((row) => row.action === 'retire')).toEqual([
      expect.objectContaining({ id: old.id, when: 'end-of-job' }),
    ])

    fake.requests.length = 0
    const post = await runPostStep(inputs(), main, repo.options)
    expect(post.exitCode).toBe(0)
    expect(messages(post, 'warning')).toEqual([])
    // The first delete right after the detach is refused ("active associations"), the second goes through.
    expect(fake.requestsTo('DELETE').map((r) => r.path.replace(/^.*\/client\/v4/, ''))).toEqual([
      `/accounts/${ACCOUNT_ID}/access/certificates/${old.id}`,
      `/accounts/${ACCOUNT_ID}/access/certificates/${old.id}`,
    ])
    expect(fake.access.certificates.has(old.id)).toBe(false)
    expect(hostnamesOf(id)).toEqual(HOSTNAMES)
    expect(post.log).toContain(`Deleted the old Access CA '${NAME}' (${old.id}).`)
    expect(post.summary).toContain(
      `<h3>Replace at the end of the job: Access CAs named ${NAME} in account ${ACCOUNT_ID}, replaced by <code>${id}</code></h3>`,
    )
    expect(post.summary).toContain(`<tr><td><code>${old.id}</code></td><td>deleted</td>`)

    // The next drift check: the account matches the manifest.
    const drift = await mainStep(inputs(DRIFT), repo.options)
    expect(messages(drift, 'error')).toEqual([])
    expect(drift.outputs.changes).toBe('0')
    expect(actionsOf(drift)).toEqual(['reuse'])

    // The CA deleted by hand: the drift check fails, naming the change.
    fake.access.certificates.delete(id)
    const missing = await mainStep(inputs(DRIFT), repo.options)
    expect(missing.exitCode).toBe(1)
    expect(messages(missing, 'error').join('\n')).toMatch(/fail-on-changes.*partners-ca upload/)
    expect(fake.access.certificates.size).toBe(0)

    for (const done of [main, post, drift, missing]) expect(leakedSecrets(done, [API_TOKEN])).toEqual([])
  })

  it('with replace-when: immediately, retires in the main step, reading until the hostnames read empty and retrying the delete, 2 s, 4 s, 8 s apart', async () => {
    const old = seedOld()
    const repo = repository(manifestOf(accessEntry(['replace: true'])))
    fake.access.refuseSharedHostnames = false
    fake.access.hostnameReadLag = 3
    fake.access.deleteRefusals = 3
    const clock = new FakeClock(Date.now())

    const main = await onClock(clock)(inputs({ 'replace-when': 'immediately' }), repo.options)
    expect(messages(main, 'error')).toEqual([])
    expect(messages(main, 'warning')).toEqual([])
    const id = idsOf(main)[NAME] ?? ''
    // Two reads still list the hostnames after the detach, then three deletes are refused.
    expect(clock.sleeps).toEqual([2000, 4000, 2000, 4000, 8000])
    expect(fake.requestsTo('DELETE')).toHaveLength(4)
    expect(fake.access.certificates.has(old.id)).toBe(false)
    expect(hostnamesOf(id)).toEqual(HOSTNAMES)
    const retire = planOf(main).find((row) => row.action === 'retire')
    expect(retire).toMatchObject({ id: old.id })
    expect(retire).not.toHaveProperty('when')
    expect(main.log).toContain(`Deleted the old Access CA '${NAME}' (${old.id}).`)
    expect(main.state).toEqual({ isPost: 'true' })
    expect(leakedSecrets(main, [API_TOKEN])).toEqual([])
  })

  it('rotates a zone-wide CA the same way, every request to the zone, the retire saved for the post step with its zone', async () => {
    const old = fake.access.seed(newCa('Zone CA, last year'), { owner: ZONE, name: NAME, hostnames: HOSTNAMES })
    const repo = repository(manifestOf(accessEntry(['replace: true', `zone-id: ${ZONE_ID}`])))
    fake.access.refuseSharedHostnames = false
    fake.access.hostnameReadLag = 2
    fake.access.deleteRefusals = 2
    const clock = new FakeClock(Date.now())
    const step = onClock(clock)

    const main = await step(inputs(), repo.options)
    expect(messages(main, 'error')).toEqual([])
    const id = idsOf(main)[NAME] ?? ''
    expect(hostnamesOf(id)).toEqual(HOSTNAMES)
    expect(fake.access.certificates.has(old.id)).toBe(true)
    const post = await step(inputs(), { ...repo.options, state: main.state, runnerTemp: main.runnerTemp })
    expect(messages(post, 'warning')).toEqual([])
    expect(fake.access.certificates.has(old.id)).toBe(false)
    expect(clock.sleeps).toEqual([2000, 2000, 4000])
    expect(fake.requests.every((r) => r.path.includes(`/zones/${ZONE_ID}/access/certificates`))).toBe(true)
    expect(fake.access.ownedBy(ACCOUNT)).toEqual([])
  })

  it('keeps the old CA, named, for a later run when timeout-seconds runs out before Cloudflare allows the delete', async () => {
    const old = seedOld()
    const repo = repository(manifestOf(accessEntry(['replace: true'])))
    fake.access.refuseSharedHostnames = false
    fake.access.deleteRefusals = 100
    const main = await onClock(new FakeClock(Date.now()))(
      inputs({ 'replace-when': 'immediately', 'timeout-seconds': '10' }),
      repo.options,
    )
    expect(main.exitCode).toBe(0)
    expect(messages(main, 'warning')).toEqual([
      expect.stringContaining(`Access CA '${NAME}' (${old.id}) was kept for a later run`),
    ])
    expect(messages(main, 'warning').join('')).toContain('timeout-seconds ran out')
    expect(fake.access.certificates.has(old.id)).toBe(true)
    expect(hostnamesOf(old.id)).toEqual([])
  })
})

describe('a hostname Cloudflare will not give two Access CAs at once', () => {
  it('fails the entry with a plain message, leaves the old CA serving and deletes nothing, masking every secret (dist/)', async () => {
    const old = seedOld()
    // Beside it, a client certificate of the account store: its key must stay out of what the step shows.
    const client = makeClient('ec')
    const repo = repository(
      manifestOf(
        accessEntry(['replace: true']),
        '  - name: payments-client\n    certificate: certs/payments.pem\n    ca: false\n    private-key-env: PAYMENTS_KEY',
      ),
      { 'deploy/certs/payments.pem': client.client.pem },
    )
    const failed = await runAction(inputs({ 'replace-when': 'immediately' }), {
      ...repo.options,
      env: { ...repo.options.env, PAYMENTS_KEY: client.keyPem },
    })
    expect(failed.exitCode).toBe(1)
    const error = messages(failed, 'error').join('\n')
    expect(error).toContain(`Cloudflare refused to give ${HOSTNAMES.join(', ')} to the new Access CA '${NAME}'`)
    expect(error).toContain(`while Access CA '${NAME}' (${old.id}) holds them`)
    expect(error).toContain('is already associated with another certificate')
    expect(error).toContain('The old CA is left serving them')
    expect(error).toContain('set swap: detach-first on the entry')
    expect(hostnamesOf(old.id)).toEqual(HOSTNAMES)
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(
      calls().filter((call) => call.startsWith(`PUT /accounts/${ACCOUNT_ID}/access/certificates/${old.id}`)),
    ).toEqual([])
    // What was done is said: the new CA is in Access (its id in the outputs, its upload in the plan),
    // without the hostnames; a re-run adopts it.
    const uploaded = [...fake.access.certificates.values()].find((c) => c.id !== old.id)
    expect(idsOf(failed)[NAME]).toBe(uploaded?.id)
    expect(
      planOf(failed)
        .filter((row) => row.name === NAME)
        .map((row) => row.action),
    ).toEqual(['upload'])
    expect(failed.summary).not.toContain('Nothing changed')
    // The other entry is done.
    expect(idsOf(failed)['payments-client']).toMatch(/^[0-9a-f-]{36}$/)
    expect(failed.summary).toContain(`<code>${NAME}</code>: Cloudflare refused to give`)
    expect(leakedSecrets(failed, [API_TOKEN, client.keyPem])).toEqual([])
  })
})

describe('swap: detach-first', () => {
  it('plans the gap, then detaches the old CA before the new one gets the hostnames', async () => {
    const old = seedOld()
    const repo = repository(manifestOf(accessEntry(['replace: true', 'swap: detach-first'])))

    const planned = await mainStep(inputs({ 'dry-run': 'true' }), repo.options)
    expect(messages(planned, 'error')).toEqual([])
    expect(methods()).toEqual(['GET'])
    expect(actionsOf(planned)).toEqual(['upload', 'note', 'detach', 'attach', 'retire'])
    const note = planOf(planned).find((row) => row.action === 'note')
    expect(note?.reason).toBe(
      `swap: detach-first: 2 hostnames (${HOSTNAMES.join(', ')}) will have no Access CA between the detach from the old CA and the attach to the new one; clients are refused in that gap.`,
    )
    expect(planOf(planned).find((row) => row.action === 'detach')).toMatchObject({
      id: old.id,
      hostnames: HOSTNAMES,
      reason: 'swap: detach-first, before the attach: no CA in between',
    })
    expect(planned.summary).toContain('will have no Access CA between the detach')

    fake.requests.length = 0
    const applied = await mainStep(inputs({ 'replace-when': 'immediately' }), repo.options)
    expect(messages(applied, 'error')).toEqual([])
    const id = idsOf(applied)[NAME] ?? ''
    const sent = calls()
    expect(
      position(sent, `PUT /accounts/${ACCOUNT_ID}/access/certificates/${old.id} {"associated_hostnames":[]}`),
    ).toBeLessThan(position(sent, `PUT /accounts/${ACCOUNT_ID}/access/certificates/${id} {"associated_hostnames":`))
    expect(hostnamesOf(id)).toEqual(HOSTNAMES)
    expect(fake.access.certificates.has(old.id)).toBe(false)
  })
})

describe('the pull request comment', () => {
  it("shows the Access rows a reviewer approves: the upload, the hostnames' move and the retire at the end of the job (dist/)", async () => {
    const PULL = 31
    const old = seedOld()
    const repo = repository(manifestOf(accessEntry(['replace: true'])))
    gitHub.add({ number: PULL, title: 'Rotate the partners CA', body: '', pull_request: true })
    const planned = await runAction(inputs({ 'dry-run': 'true', 'pr-comment': 'true', 'github-token': GITHUB_TOKEN }), {
      ...repo.options,
      env: { ...repo.options.env, ...pullRequestEvent(repo.workspace, PULL) },
    })
    expect(messages(planned, 'error')).toEqual([])
    expect(methods()).toEqual(['GET'])
    expect(gitHub.comments).toHaveLength(1)
    const body = gitHub.comments[0]?.body ?? ''
    expect(body).toContain('4 changes to make.')
    expect(body).toContain(`Planned for commit [\`${HEAD_SHA.slice(0, 12)}\`]`)
    const store = `Access, account ${ACCOUNT_ID}`
    expect(body).toMatch(new RegExp(`\\| \`${NAME}\` \\| \`upload\` \\|[^\\n]*${store}`))
    expect(body).toMatch(new RegExp(`\\| \`${NAME}\` \\| \`attach\` \\|[^\\n]*${HOSTNAMES.join(', ')}`))
    expect(body).toMatch(new RegExp(`\\| \`${NAME}\` \\| \`detach\` \\| \`${old.id}\` \\|[^\\n]*moved to the new CA`))
    expect(body).toMatch(new RegExp(`\\| \`${NAME}\` \\| \`retire\` \\| \`${old.id}\` \\|[^\\n]*at the end of the job`))
    for (const secret of [API_TOKEN, GITHUB_TOKEN]) expect(body).not.toContain(secret)
    expect(leakedSecrets(planned, [API_TOKEN, GITHUB_TOKEN])).toEqual([])
  })
})

describe('bad input, refused before any request', () => {
  it('names the file and line of each Access entry a field makes no sense for, and swap on an account store entry', async () => {
    const client = makeClient('ec')
    // Each entry its own hostname, so that no two claim one (a problem of its own).
    const entry = (name: string | undefined, hostname: string, extra: string[]): string =>
      accessEntry(extra)
        .replace(`  - name: ${NAME}\n    store`, name ? `  - name: ${name}\n    store` : '  - store')
        .replace(HOSTNAMES.join(', '), hostname)
    const entries = [
      entry(NAME, 'a.example.com', ['ca: false']),
      entry('keyed-ca', 'b.example.com', ['private-key-env: PAYMENTS_KEY']),
      entry(undefined, 'c.example.com', []),
      entry('bound-ca', 'd.example.com', [
        'wrangler: [{ config: ../workers/payments/wrangler.toml, binding: PAYMENTS_CERT }]',
      ]),
      entry('database-ca', 'e.example.com', ['hyperdrive: [{ config: a1b2c3d4e5f60718293a4b5c6d7e8f90 }]']),
      '  - name: api-clients-ca\n    certificate: pki/partners.pem\n    ca: true\n    swap: detach-first',
    ]
    const text = manifestOf(...entries)
    const repo = repository(text)
    const lineOf = (entry: number, key: string): number => {
      const lines = text.split('\n')
      let seen = -1
      for (const [index, line] of lines.entries()) {
        if (line.startsWith('  - ')) seen++
        if (seen === entry && line.trimStart().replace(/^- /, '').startsWith(`${key}:`)) return index + 1
      }
      return -1
    }
    const refused = await mainStep(inputs(), { ...repo.options, env: { PAYMENTS_KEY: client.keyPem } })
    expect(refused.exitCode).toBe(1)
    const error = messages(refused, 'error').join('\n')
    const at = (entry: number, key: string): string =>
      `${MANIFEST}:${lineOf(entry, key)}: certificates[${entry}].${key}:`
    expect(error).toContain(`${at(0, 'ca')} is false, but store: access holds CA certificates`)
    expect(error).toContain(`${at(1, 'private-key-env')} is not used with store: access`)
    // A missing name is said once, as required (the single step's inputs say why Access needs it).
    expect(error).toContain(`certificates[2].name: is required`)
    expect(error).not.toContain('is needed with store: access')
    expect(error).toContain(`${at(3, 'wrangler')} is not used with store: access`)
    expect(error).toContain(`${at(4, 'hyperdrive')} is not used with store: access`)
    expect(error).toContain(`${at(5, 'swap')} is only for store: access`)
    expect(fake.requests).toEqual([])
    expect(leakedSecrets(refused, [API_TOKEN, client.keyPem])).toEqual([])
  })

  it("names the input when the single step's store: access is given a private key", async () => {
    const client = makeClient('ec')
    const repo = repository('')
    const refused = await mainStep(
      {
        'account-id': ACCOUNT_ID,
        'api-token': API_TOKEN,
        'api-base-url': fake.url,
        store: 'access',
        'certificate-path': PEM,
        name: NAME,
        hostnames: HOSTNAMES.join(', '),
        'private-key': client.keyPem,
      },
      repo.options,
    )
    expect(refused.exitCode).toBe(1)
    expect(messages(refused, 'error')).toEqual([
      expect.stringMatching(/^Input 'private-key' is not used with store: access: .*Remove it\.$/),
    ])
    expect(fake.requests).toEqual([])
    expect(leakedSecrets(refused, [API_TOKEN, client.keyPem])).toEqual([])
  })
})
