import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { errorAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID, makeClient, type ClientFixture } from '../../test-kit/fixtures.ts'
import { keyPem } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import type { FakeGitHub } from '../support/fake-github.ts'
import {
  MANIFEST_PATH,
  manifestInputs,
  manifestRepository,
  pullRequestEvent,
  type ManifestRepository,
} from '../support/manifest-workspace.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'

/**
 * Authenticated Origin Pulls as a store of the one pipeline, through dist/ against the stand-in
 * (test-kit/fake-origin-pull.ts, whose statuses move initializing → pending_deployment → active a read
 * at a time): Cloudflare's rotation, make before break (upload, point the hostnames at it, wait until
 * each reads `active`, then retire the one it replaced, in the post step by default), per hostname and
 * zone-level; adopted on a re-run, planned with reads only, drift-checked, commented on a pull request,
 * refused before any request when the entry makes no sense, and the key in no log, output or file.
 * Each real rotation waits about 2 s (one read pending, the next after 2 s active).
 */

const GITHUB_TOKEN = 'ghs_0riginPullPlanT0kenCCCCCCCCCCCCCCCCCC'
const PULL = 31
const HOSTS = ['origin-a.example.com', 'origin-b.example.com']

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))

/**
 * What the stand-in's origin pulls did, in order, with what each hostname read answered (its
 * certificate and status): the order of a rotation is asserted on what Cloudflare said, not on counts.
 */
let timeline: string[] = []
beforeAll(() => {
  const route = fake.originPull.route.bind(fake.originPull)
  fake.originPull.route = (method, template, params, body) => {
    const answer = route(method, template, params, body)
    const rest = template.replace('/zones/{zone_id}/origin_tls_client_auth', '')
    const path = rest
      .replace('{certificate_id}', params.certificate_id ?? '')
      .replace('{hostname}', params.hostname ?? '')
    let event = `${method} ${path}`
    if (answer && method === 'GET' && rest === '/hostnames/{hostname}') {
      const result = (JSON.parse(answer[1]) as { result?: { cert_id?: string; status?: string } }).result
      event += ` → ${result?.cert_id ?? 'none'} ${result?.status ?? 'none'}`
    }
    if (answer && method === 'GET' && rest === '/{certificate_id}') {
      const result = (JSON.parse(answer[1]) as { result?: { status?: string } }).result
      event += ` → ${result?.status ?? 'none'}`
    }
    timeline.push(event)
    return answer
  }
})
beforeEach(() => {
  timeline = []
})

const at = (event: string | RegExp): number =>
  timeline.findIndex((e) => (typeof event === 'string' ? e === event : event.test(e)))

function manifestOf(fields: { hostnames?: readonly string[] } = {}): string {
  const hostnames = fields.hostnames ?? HOSTS
  return `version: 1
certificates:
  - name: origin-client
    certificate: certs/payments.pem
    private-key-env: PAYMENTS_KEY
    store: origin-pull
    zone-id: ${ZONE_ID}
${hostnames.length > 0 ? `    hostnames: [${hostnames.join(', ')}]\n` : ''}    replace: true
`
}

interface Setup {
  repo: ManifestRepository
  /** The key as the secret holds it (SEC1), and the PKCS#8 form the upload sends. */
  secrets: string[]
  options: { workspace: string; env: Record<string, string> }
}

/** A repository with one origin pull entry; its key in the secret in SEC1 form, which the action converts. */
function setup(manifest = manifestOf()): Setup {
  const repo = manifestRepository(manifest)
  const sec1 = keyPem(repo.payments.client.key, 'sec1')
  const secrets = [API_TOKEN, GITHUB_TOKEN, sec1, repo.payments.keyPem]
  const env = { ...repo.env, PAYMENTS_KEY: sec1, GITHUB_TOKEN, GITHUB_API_URL: gitHub.url }
  return { repo, secrets, options: { workspace: repo.workspace, env } }
}

/** The certificate the hostnames present before the rotation. */
function oldCertificate(
  level: 'zone' | 'hostname',
  hostnames: readonly string[] = HOSTS,
): ClientFixture & { id: string } {
  const old = makeClient()
  const stored = fake.originPull.seed(ZONE_ID, level, old.client.pem, old.keyPem)
  if (level === 'hostname') for (const hostname of hostnames) fake.originPull.assign(ZONE_ID, hostname, stored.id)
  return { ...old, id: stored.id }
}

const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
const planOf = (run: ActionRun) =>
  JSON.parse(run.outputs.plan ?? '[]') as {
    name: string
    action: string
    store?: string
    id?: string
    reason?: string
    hostnames?: string[]
    when?: string
  }[]
const idOf = (run: ActionRun): string =>
  (JSON.parse(run.outputs.certificates ?? '{}') as Record<string, { id: string }>)['origin-client']?.id ?? ''
const hostnameCertificates = (): string[] => [...(fake.originPull.hostnameCertificates.get(ZONE_ID)?.keys() ?? [])]
const zoneCertificates = (): string[] => [...(fake.originPull.zoneCertificates.get(ZONE_ID)?.keys() ?? [])]
const assignedTo = (hostname: string): string | undefined =>
  fake.originPull.assignments.get(ZONE_ID)?.get(hostname)?.cert_id
const writes = (): string[] => fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)

/** A step that succeeded with no error and no secret in anything it left. */
async function succeeded(run: Promise<ActionRun>, secrets: readonly string[]): Promise<ActionRun> {
  const done = await run
  expect(errors(done)).toEqual([])
  expect(done.exitCode).toBe(0)
  expect(leakedSecrets(done, secrets)).toEqual([])
  return done
}

describe('a per-hostname origin pull certificate, through dist/', () => {
  it('is uploaded, assigned, waited on until active; the old one deleted in the post step, only then; drift checked', async () => {
    const { secrets, options } = setup()
    const old = oldCertificate('hostname')
    const main = await succeeded(runAction(manifestInputs(fake), options), secrets)
    const id = idOf(main)
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(hostnameCertificates()).toEqual([old.id, id])
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(id)
    // The main step keeps the old certificate: replace-when is end-of-job by default.
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(planOf(main).find((row) => row.action === 'retire')).toMatchObject({ id: old.id, when: 'end-of-job' })
    expect(main.log).toContain(`Origin pull certificate ${id} is active for ${HOSTS.join(', ')}`)
    // Found through the hostnames only, which point at the new one now: should the post step not run,
    // no later run finds the old one, so the main step names it, and what to do.
    const notices = main.annotations.filter((a) => a.level === 'notice').map((a) => a.message)
    const scheduled = `Origin pull certificate ${old.id} will be deleted at the end of the job, once every other step has succeeded. If the job fails or is cancelled before then, no later run finds it`
    expect(notices.filter((notice) => notice.startsWith(scheduled))).toHaveLength(1)
    expect(notices.join('\n')).toContain(
      'delete it by hand (SSL/TLS → Origin Server), or set replace-when: immediately',
    )

    const post = await succeeded(runPostStep(manifestInputs(fake), main, options), secrets)
    expect(hostnameCertificates()).toEqual([id])
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(id)
    expect(post.log).toContain(`Deleted the replaced origin pull certificate ${old.id} of zone ${ZONE_ID}.`)
    expect(post.summary).toContain(
      `Replace at the end of the job: origin pulls, zone ${ZONE_ID}, per hostname, replaced by <code>${id}</code>`,
    )
    expect(post.summary).toContain(
      `<tr><td><code>${old.id}</code></td><td>deleted</td><td>it served ${HOSTS.join(', ')}</td></tr>`,
    )

    // Cloudflare's order: upload, point the hostnames at it, each reads active with it, then the delete.
    const upload = at('POST /hostnames/certificates')
    const assign = at('PUT /hostnames')
    const active = HOSTS.map((hostname) => at(`GET /hostnames/${hostname} → ${id} active`))
    const deleted = at(`DELETE /hostnames/certificates/${old.id}`)
    expect(upload).toBeGreaterThanOrEqual(0)
    expect(assign).toBeGreaterThan(upload)
    for (const read of active) expect(read).toBeGreaterThan(assign)
    expect(deleted).toBeGreaterThan(Math.max(...active))
    // The wait read them pending first: it waited on Cloudflare, not on its own guess.
    expect(at(new RegExp(`GET /hostnames/${HOSTS[0]} → ${id} (initializing|pending_deployment)`))).toBeGreaterThan(
      assign,
    )
    expect(timeline.filter((e) => e.startsWith('DELETE'))).toEqual([`DELETE /hostnames/certificates/${old.id}`])

    // The drift check right after: nothing to change. Then someone points origin-b elsewhere by hand.
    const drift = manifestInputs(fake, { 'dry-run': 'true', 'fail-on-changes': 'true' })
    const clean = await succeeded(runAction(drift, options), secrets)
    expect(clean.outputs.changes).toBe('0')
    const other = makeClient()
    const elsewhere = fake.originPull.seed(ZONE_ID, 'hostname', other.client.pem, other.keyPem)
    fake.originPull.assign(ZONE_ID, 'origin-b.example.com', elsewhere.id)
    fake.requests.length = 0
    const drifted = await runAction(drift, options)
    expect(drifted.exitCode).toBe(1)
    expect(writes()).toEqual([])
    expect(leakedSecrets(drifted, secrets)).toEqual([])
    expect(planOf(drifted).map((row) => [row.action, row.hostnames?.join() ?? row.id])).toEqual([
      ['reuse', id],
      ['attach', 'origin-b.example.com'],
      ['note', 'origin-b.example.com'],
      ['retire', elsewhere.id],
    ])
    expect(errors(drifted).join('\n')).toMatch(
      /^The account differs from the manifest \(fail-on-changes\): 2 changes planned: .*origin-b\.example\.com/,
    )
  })

  it('with replace-when: immediately, deletes the old one in the main step, after each hostname reads active', async () => {
    const { secrets, options } = setup()
    const old = oldCertificate('hostname')
    const main = await succeeded(runAction(manifestInputs(fake, { 'replace-when': 'immediately' }), options), secrets)
    const id = idOf(main)
    expect(hostnameCertificates()).toEqual([id])
    expect(main.state['end-of-job-steps']).toBeUndefined()
    expect(main.log).toContain(`Deleted the replaced origin pull certificate ${old.id} of zone ${ZONE_ID}.`)
    const deleted = at(`DELETE /hostnames/certificates/${old.id}`)
    expect(at('PUT /hostnames')).toBeGreaterThan(at('POST /hostnames/certificates'))
    for (const hostname of HOSTS) {
      expect(at(`GET /hostnames/${hostname} → ${id} active`)).toBeGreaterThan(at('PUT /hostnames'))
      expect(at(`GET /hostnames/${hostname} → ${id} active`)).toBeLessThan(deleted)
    }
    expect(planOf(main).find((row) => row.action === 'retire')).toMatchObject({ id: old.id })
    expect(planOf(main).find((row) => row.action === 'retire')?.when).toBeUndefined()
    expect(main.log).not.toContain('will be deleted at the end of the job')
  })

  it('fails the entry on deployment_timed_out, naming the hostname; the old one stays, assigned, until a re-run (debug log, no key)', async () => {
    const { secrets, options } = setup()
    const old = oldCertificate('hostname')
    fake.originPull.timeOut.add('origin-b.example.com')
    const debug = { ...options, env: { ...options.env, ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' } }
    const immediately = manifestInputs(fake, { 'replace-when': 'immediately' })
    const run = await runAction(immediately, debug)
    expect(run.exitCode).toBe(1)
    const message = errors(run).join('\n')
    expect(message).toMatch(
      new RegExp(
        `'origin-client' \\(line 3\\): Cloudflare could not deploy the origin pull certificate (\\w+) for origin-b\\.example\\.com in zone ${ZONE_ID}: it reads deployment_timed_out`,
      ),
    )
    const id = /certificate (\w+) for origin-b/.exec(message)?.[1] ?? ''
    expect(message).toContain(`Pointed it back at the certificate it served before (origin-b.example.com (${old.id}))`)
    expect(leakedSecrets(run, secrets)).toEqual([])
    expect(timeline).toContain(`GET /hostnames/origin-b.example.com → ${id} deployment_timed_out`)
    // Nothing deleted, nothing saved for the post step; origin-b serves the old one again, origin-a the new one.
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(run.state['end-of-job-steps']).toBeUndefined()
    expect(hostnameCertificates()).toEqual([old.id, id])
    expect(assignedTo('origin-b.example.com')).toBe(old.id)
    expect(assignedTo('origin-a.example.com')).toBe(id)
    // What was done is said: the upload in the plan, the id in the outputs, for the re-run to adopt.
    expect(planOf(run).map((row) => row.action)).toEqual(['upload'])
    expect((JSON.parse(run.outputs.certificates ?? '{}') as Record<string, { id: string }>)['origin-client']?.id).toBe(
      id,
    )

    // The drift check says what is left to do.
    const drift = await runAction(manifestInputs(fake, { 'dry-run': 'true', 'fail-on-changes': 'true' }), options)
    expect(drift.exitCode).toBe(1)
    expect(planOf(drift).map((row) => [row.action, row.hostnames?.join() ?? row.id])).toEqual([
      ['reuse', id],
      ['attach', 'origin-b.example.com'],
      ['note', 'origin-b.example.com'],
      ['retire', old.id],
    ])

    // Once Cloudflare deploys it, a re-run finishes the rotation: the new one adopted, the old one deleted.
    fake.originPull.timeOut.clear()
    timeline = []
    await succeeded(runAction(immediately, options), secrets)
    expect(timeline.filter((e) => !e.startsWith('GET'))).toEqual([
      'PUT /hostnames',
      `DELETE /hostnames/certificates/${old.id}`,
    ])
    expect(hostnameCertificates()).toEqual([id])
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(id)
  })

  it('names the old certificate to delete by hand when timeout-seconds runs out mid-deployment', async () => {
    const { secrets, options } = setup()
    const old = oldCertificate('hostname')
    fake.originPull.statusLag = 1000
    // 2 s: the first read finds it initializing, and the next (2 s later) would be past the limit.
    const run = await runAction(manifestInputs(fake, { 'timeout-seconds': '2' }), options)
    expect(run.exitCode).toBe(1)
    const message = errors(run).join('\n')
    expect(message).toMatch(/Timed out waiting for the origin pull certificate \w+ to become active/)
    expect(message).toContain('origin-a.example.com reads initializing')
    expect(message).toContain(`A re-run does not delete what the hostnames served before (${old.id})`)
    expect(leakedSecrets(run, secrets)).toEqual([])
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(hostnameCertificates()).toContain(old.id)
  })

  it('keeps the old certificate, with a warning, when a hostname outside the entry still uses it', async () => {
    const { secrets, options } = setup()
    const old = oldCertificate('hostname', [...HOSTS, 'legacy.example.com'])
    const run = await succeeded(runAction(manifestInputs(fake, { 'replace-when': 'immediately' }), options), secrets)
    const id = idOf(run)
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(id)
    // Cloudflare refused the delete (1419, in use): the old one goes on serving legacy.example.com.
    expect(timeline).toContain(`DELETE /hostnames/certificates/${old.id}`)
    expect(hostnameCertificates()).toEqual([old.id, id])
    expect(assignedTo('legacy.example.com')).toBe(old.id)
    const warned = warnings(run).join('\n')
    expect(warned).toContain(`Origin pull certificate ${old.id} was kept: Cloudflare refused the delete (`)
    expect(warned).toContain('[1419] The certificate is in use by one or more hostnames')
    expect(warned).toContain('so a hostname outside this entry may still use it')
    expect(planOf(run).find((row) => row.id === old.id)).toMatchObject({ action: 'keep' })
  })

  it('uploads a certificate two entries share once: the second adopts it when Cloudflare says it exists', async () => {
    const entry = (name: string, hostname: string) =>
      manifestOf({ hostnames: [hostname] })
        .replace('version: 1\ncertificates:\n', '')
        .replace('origin-client', name)
    const { secrets, options } = setup(
      `version: 1\ncertificates:\n${entry('origin-a', HOSTS[0] ?? '')}${entry('origin-b', HOSTS[1] ?? '')}`,
    )
    const run = await succeeded(runAction(manifestInputs(fake), options), secrets)
    const [id] = hostnameCertificates()
    expect(hostnameCertificates()).toHaveLength(1)
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(id)
    const ids = JSON.parse(run.outputs.certificates ?? '{}') as Record<string, { id: string; created: boolean }>
    expect(Object.values(ids).map((entry) => entry.id)).toEqual([id, id])
    expect(Object.values(ids).filter((entry) => entry.created)).toHaveLength(1)
  })

  it('is adopted on a re-run (compared by content): no upload, no write at all', async () => {
    const { repo, secrets, options } = setup()
    // Already uploaded, with Cloudflare's own line breaks (it re-encodes the PEM), and serving both hostnames.
    const reencoded = repo.payments.client.pem.replace(/\n/g, '\r\n')
    const stored = fake.originPull.seed(ZONE_ID, 'hostname', reencoded, repo.payments.keyPem)
    for (const hostname of HOSTS) fake.originPull.assign(ZONE_ID, hostname, stored.id)
    const run = await succeeded(runAction(manifestInputs(fake), options), secrets)
    expect(writes()).toEqual([])
    expect(planOf(run)).toEqual([expect.objectContaining({ action: 'reuse', id: stored.id })])
    expect(idOf(run)).toBe(stored.id)
    expect(run.outputs.changes).toBe('0')
  })

  it('plans with reads only in a dry run', async () => {
    const { secrets, options } = setup()
    const old = oldCertificate('hostname')
    const run = await succeeded(runAction(manifestInputs(fake, { 'dry-run': 'true' }), options), secrets)
    expect(fake.requests.length).toBeGreaterThan(0)
    expect(writes()).toEqual([])
    expect(planOf(run).map((row) => row.action)).toEqual(['upload', 'attach', 'note', 'retire'])
    expect(planOf(run).find((row) => row.action === 'retire')).toMatchObject({ id: old.id, when: 'end-of-job' })
    expect(planOf(run)[0]?.store).toBe(`origin pulls, zone ${ZONE_ID}, per hostname`)
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(old.id)
  })
})

describe('a zone-level origin pull certificate, through dist/', () => {
  it('is rotated: uploaded, waited on until active, then the one active before deleted, never the new one', async () => {
    const { secrets, options } = setup(manifestOf({ hostnames: [] }))
    const old = oldCertificate('zone')
    // One someone is deploying by hand meanwhile: not active before the run, so not this run's to delete.
    const other = makeClient()
    const deploying = fake.originPull.seed(ZONE_ID, 'zone', other.client.pem, other.keyPem)
    deploying.stage = 0
    fake.originPull.enabled.set(ZONE_ID, true)
    const main = await succeeded(runAction(manifestInputs(fake), options), secrets)
    const id = idOf(main)
    expect(zoneCertificates()).toEqual([old.id, deploying.id, id])
    expect(fake.requestsTo('DELETE')).toEqual([])
    const post = await succeeded(runPostStep(manifestInputs(fake), main, options), secrets)
    expect(zoneCertificates()).toEqual([deploying.id, id])
    expect(post.summary).toContain(
      `<tr><td><code>${old.id}</code></td><td>deleted</td><td>it was the zone-level certificate before</td></tr>`,
    )
    expect(timeline.filter((e) => e.startsWith('DELETE'))).toEqual([`DELETE /${old.id}`])
    expect(at(`GET /${id} → active`)).toBeGreaterThan(at('POST '))
    expect(at(`DELETE /${old.id}`)).toBeGreaterThan(at(`GET /${id} → active`))
    expect(planOf(main)[0]?.store).toBe(`origin pulls, zone ${ZONE_ID}, zone-level`)
  })

  it('plans with reads only in a dry run, and says when zone-level origin pulls is off', async () => {
    const { secrets, options } = setup(manifestOf({ hostnames: [] }))
    const old = oldCertificate('zone')
    const run = await succeeded(runAction(manifestInputs(fake, { 'dry-run': 'true' }), options), secrets)
    expect(fake.requests.length).toBeGreaterThan(0)
    expect(writes()).toEqual([])
    expect(planOf(run).map((row) => row.action)).toEqual(['upload', 'note', 'note', 'retire'])
    expect(planOf(run).find((row) => row.action === 'retire')).toMatchObject({ id: old.id })
    expect(run.log).toContain('Zone-level Authenticated Origin Pulls is off')
    expect(zoneCertificates()).toEqual([old.id])
  })
})

describe('the plan on a pull request, through dist/', () => {
  it('comments the origin pull rows, with no key or token in it', async () => {
    gitHub.add({ number: PULL, title: 'Rotate the origin pull certificate', body: '', pull_request: true })
    const { repo, secrets, options } = setup()
    const old = oldCertificate('hostname')
    const inputs = manifestInputs(fake, { 'dry-run': 'true', 'pr-comment': 'true', 'github-token': GITHUB_TOKEN })
    const run = await succeeded(
      runAction(inputs, { ...options, env: { ...options.env, ...pullRequestEvent(repo.workspace, PULL) } }),
      secrets,
    )
    expect(writes()).toEqual([])
    expect(gitHub.comments).toHaveLength(1)
    const body = gitHub.comments[0]?.body ?? ''
    expect(body).toContain(MANIFEST_PATH)
    expect(body).toContain('| `origin-client` | `upload` |')
    expect(body).toContain('| `origin-client` | `attach` |')
    expect(body).toContain(`\`${old.id}\``)
    expect(body).toContain(`origin pulls, zone ${ZONE_ID}, per hostname`)
    expect(body).toContain('origin-a.example.com')
    for (const secret of secrets) {
      expect(body).not.toContain(secret.trim())
      for (const line of secret.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')))
        expect(body).not.toContain(line)
    }
    expect(run.outputs.changes).toBe('3')
  })
})

describe('an origin pull entry that makes no sense, refused before any request', () => {
  it('names the file and line of each problem (dist/)', async () => {
    // Each entry its own hostname, so that no two claim the same one: each has one problem of its own.
    const entry = (index: number, fields: string[]) =>
      [
        `  - name: origin-${index}`,
        '    certificate: certs/payments.pem',
        '    store: origin-pull',
        `    hostnames: [origin-${index}.example.com]`,
        ...fields.map((field) => `    ${field}`),
      ].join('\n')
    const key = 'private-key-env: PAYMENTS_KEY'
    const zone = `zone-id: ${ZONE_ID}`
    const manifest = [
      'version: 1',
      'certificates:',
      entry(0, ['ca: true', key, zone]),
      entry(1, [zone]),
      entry(2, ['allow-missing-key: true', zone]),
      entry(3, [key]),
      entry(4, [key, zone, 'wrangler:', '  - config: wrangler.toml', '    binding: ORIGIN']),
      entry(5, [key, zone, 'swap: detach-first']),
      '',
    ].join('\n')
    const { secrets, options } = setup(manifest)
    const run = await runAction(manifestInputs(fake), options)
    expect(run.exitCode).toBe(1)
    expect(fake.requests).toEqual([])
    expect(leakedSecrets(run, secrets)).toEqual([])
    const message = errors(run).join('\n')
    const lines = manifest.split('\n')
    /** The line of `text` in entry `index`. */
    const lineOf = (index: number, text: string): number =>
      lines.findIndex((line, at) => at >= lines.indexOf(`  - name: origin-${index}`) && line.includes(text)) + 1
    const says = (index: number, field: string, text: string, line = lineOf(index, `${field}:`)): void => {
      expect(message).toContain(`${MANIFEST_PATH}:${line}: certificates[${index}].${field}: ${text}`)
    }
    says(0, 'ca', 'is true, but store: origin-pull holds the client certificate (a leaf, with its key)')
    says(
      1,
      'private-key-env',
      'is not set, and store: origin-pull uploads the client certificate with its key',
      lineOf(1, '- name'),
    )
    says(2, 'allow-missing-key', 'is not used with store: origin-pull')
    says(3, 'zone-id', 'is needed with store: origin-pull', lineOf(3, '- name'))
    says(4, 'wrangler', 'is not used with store: origin-pull', lineOf(4, '- config'))
    says(5, 'swap', 'is not used with store: origin-pull')
    expect(message).toContain('has 7 problems')
  })

  it("refuses the single step's store: origin-pull without private-key, naming the input (dist/)", async () => {
    const fixture = makeClient()
    const inputs = {
      'account-id': ACCOUNT_ID,
      'api-token': API_TOKEN,
      'api-base-url': fake.url,
      certificate: fixture.client.pem,
      store: 'origin-pull',
      'zone-id': ZONE_ID,
      hostnames: HOSTS.join('\n'),
    }
    const run = await runAction(inputs)
    expect(run.exitCode).toBe(1)
    expect(fake.requests).toEqual([])
    expect(errors(run).join('\n')).toMatch(/Input 'private-key'/)
  })
})

describe('an origin pull certificate and its key, never shown', () => {
  it('keeps the key out of everything when Cloudflare refuses the upload, echoing it (debug log)', async () => {
    const { repo, secrets, options } = setup()
    const pkcs8Line = repo.payments.keyPem.split('\n')[1] ?? ''
    fake.inject({
      method: 'POST',
      pathSuffix: '/origin_tls_client_auth/hostnames/certificates',
      fault: errorAnswer(400, [{ code: 1413, message: `The private key could not be read: ${pkcs8Line}` }]),
    })
    const debug = { ...options, env: { ...options.env, ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' } }
    const run = await runAction(manifestInputs(fake), debug)
    expect(run.exitCode).toBe(1)
    expect(errors(run).join('\n')).toContain('The private key could not be read')
    expect(leakedSecrets(run, secrets)).toEqual([])
    // Not even behind a mask: the answer's text is redacted before it is logged.
    const printed = run.rawStdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(printed.join('\n')).not.toContain(pkcs8Line)
    expect(errors(run).join('\n')).toContain('[redacted]')
    expect(writes()).toEqual([`POST /client/v4/zones/${ZONE_ID}/origin_tls_client_auth/hostnames/certificates`])
  })
})

describe('the single step (inputs, no manifest), through dist/', () => {
  it('uploads a per-hostname certificate and outputs its id', async () => {
    const fixture = makeClient()
    const sec1 = keyPem(fixture.client.key, 'sec1')
    const inputs = {
      'account-id': ACCOUNT_ID,
      'api-token': API_TOKEN,
      'api-base-url': fake.url,
      certificate: fixture.client.pem,
      'private-key': sec1,
      store: 'origin-pull',
      'zone-id': ZONE_ID,
      hostnames: HOSTS.join('\n'),
    }
    const run = await succeeded(runAction(inputs), [API_TOKEN, sec1, fixture.keyPem])
    const id = run.outputs['certificate-id'] ?? ''
    expect(hostnameCertificates()).toEqual([id])
    for (const hostname of HOSTS) expect(assignedTo(hostname)).toBe(id)
    expect(run.outputs.created).toBe('true')
    expect(JSON.parse(run.outputs.hostnames ?? '[]')).toEqual(HOSTS)
    expect(at(`GET /hostnames/${HOSTS[1]} → ${id} active`)).toBeGreaterThan(at('PUT /hostnames'))
    // When Cloudflare says it was uploaded, as for the account store (the summary said "not uploaded").
    const uploadedOn = fake.originPull.hostnameCertificates.get(ZONE_ID)?.get(id)?.uploaded_on
    expect(run.outputs['uploaded-on']).toBe(uploadedOn)
    expect(run.summary).toContain(`<code>${id}</code>`)
    expect(run.summary).not.toContain('(not uploaded)')
  })
})
