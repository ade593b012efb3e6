import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, ZONE_ID, issuedEarlier } from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import type { FakeGitHub } from '../support/fake-github.ts'
import { mainStep, postStep } from '../support/steps.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  HEAD_SHA,
  HOSTNAMES,
  MANIFEST_PATH,
  manifestInputs,
  manifestRepository,
  manifestText,
  pullRequestEvent,
  type ManifestRepository,
} from '../support/manifest-workspace.ts'

/**
 * The manifest step: several certificates from one file, the account listed once, the plan in the
 * outputs, summary and pull request, an entry's failure reported without stopping the others.
 */

const GITHUB_TOKEN = 'ghs_m4nifestPlanT0kenBBBBBBBBBBBBBBBBBBBB'
const PULL = 12

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))

const secretsOf = (repo: ManifestRepository): string[] => [
  API_TOKEN,
  GITHUB_TOKEN,
  repo.payments.keyPem,
  repo.billing.keyPem,
]
const certificatesOutput = (run: ActionRun): Record<string, Record<string, unknown>> =>
  JSON.parse(run.outputs.certificates ?? 'null') as Record<string, Record<string, unknown>>
const planOutput = (run: ActionRun): { name: string; action: string; id?: string }[] =>
  JSON.parse(run.outputs.plan ?? 'null') as { name: string; action: string; id?: string }[]
const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const env = (repo: ManifestRepository, extra: Record<string, string> = {}) => ({
  workspace: repo.workspace,
  env: { ...repo.env, GITHUB_TOKEN, GITHUB_API_URL: gitHub.url, ...extra },
})

describe('a manifest applied', () => {
  it('uploads every leaf and CA, attaches the CA hostnames, and outputs each by name (dist/)', async () => {
    const repo = manifestRepository()
    const run = await runAction(manifestInputs(fake), env(repo))
    expect(errors(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(fake.certificates.size).toBe(3)
    const outputs = certificatesOutput(run)
    expect(Object.keys(outputs)).toEqual(['payments-client', 'billing-client', 'api-clients-ca'])
    for (const entry of Object.values(outputs)) {
      expect(fake.certificates.has(entry.id as string)).toBe(true)
      expect(entry.created).toBe(true)
    }
    expect(outputs['api-clients-ca']?.hostnames).toEqual(HOSTNAMES)
    expect(fake.hostnamesOf(ZONE_ID, outputs['api-clients-ca']?.id as string)).toEqual(HOSTNAMES)
    expect(planOutput(run).map((row) => `${row.name} ${row.action}`)).toEqual([
      'payments-client upload',
      'billing-client upload',
      'api-clients-ca upload',
      'api-clients-ca attach',
    ])
    expect(run.outputs.changes).toBe('4')
    // The single-certificate outputs are not set.
    expect(run.outputs['certificate-id']).toBeUndefined()
    expect(run.summary).toContain('<table>')
    expect(run.summary).toContain('<td>payments-client</td><td>upload</td>')
    expect(run.log).toMatch(/Plan: api-clients-ca · attach · [0-9a-f-]{36} · api\.example\.com, partners\.example\.com/)
    expect(leakedSecrets(run, secretsOf(repo))).toEqual([])
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/mtls_certificates'))).toHaveLength(1)
  })

  it('re-run: every entry reused from the one listing, no request beyond the reads, no changes', async () => {
    const repo = manifestRepository()
    expect((await mainStep(manifestInputs(fake), env(repo))).exitCode).toBe(0)
    const before = fake.requests.length
    const run = await mainStep(manifestInputs(fake), env(repo))
    expect(run.exitCode).toBe(0)
    const requests = fake.requests.slice(before)
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(requests.filter((r) => r.path.endsWith('/mtls_certificates'))).toHaveLength(1)
    expect(planOutput(run).map((row) => row.action)).toEqual(['reuse', 'reuse', 'reuse'])
    expect(run.outputs.changes).toBe('0')
    expect(Object.values(certificatesOutput(run)).map((entry) => entry.created)).toEqual([false, false, false])
  })

  it('one entry rotated: only it is uploaded, and the post step retires the older certificate of every entry', async () => {
    const repo = manifestRepository(manifestText({ replace: true }))
    const oldPayments = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: '2024-01-01T00:00:00Z' })
    const oldBilling = fake.seed(issuedEarlier(), { name: 'billing-client', uploadedOn: '2024-01-01T00:00:00Z' })
    const main = await mainStep(manifestInputs(fake), env(repo))
    expect(errors(main)).toEqual([])
    const retired = planOutput(main)
      .filter((row) => row.action === 'retire')
      .map((row) => `${row.name} ${row.id}`)
    expect(retired).toEqual([`payments-client ${oldPayments.id}`, `billing-client ${oldBilling.id}`])
    const post = await postStep(manifestInputs(fake), main, env(repo))
    expect(post.exitCode).toBe(0)
    expect(fake.certificates.has(oldPayments.id)).toBe(false)
    expect(fake.certificates.has(oldBilling.id)).toBe(false)

    // The payments certificate renewed: the others are reused, and it alone is uploaded.
    const renewed = manifestRepository().payments
    repo.file('certs/payments.pem', renewed.client.pem)
    const previous = certificatesOutput(main)['payments-client']?.id as string
    const again = await mainStep(manifestInputs(fake), env(repo, { PAYMENTS_KEY: renewed.keyPem }))
    expect(errors(again)).toEqual([])
    expect(
      planOutput(again).map((row) => `${row.name} ${row.action}${row.id === previous ? ' previous' : ''}`),
    ).toEqual([
      'payments-client upload',
      'payments-client retire previous',
      'billing-client reuse',
      'api-clients-ca reuse',
    ])
    await postStep(manifestInputs(fake), again, env(repo))
    expect(fake.certificates.has(previous)).toBe(false)
    expect(fake.certificates.size).toBe(3)
  })

  it('an entry Cloudflare refuses fails the step at the end, naming it; the others complete, and its id is output too', async () => {
    const repo = manifestRepository(manifestText({ zoneId: 'ffffffffffffffffffffffffffffffff' }))
    const run = await mainStep(manifestInputs(fake, { 'max-retries': '0' }), env(repo))
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^Manifest entry failed \(1 of 3\): 'api-clients-ca' \(line 11\): .*The CA is uploaded as [0-9a-f-]{36} \(its id is in the step's outputs\): once this is fixed, re-run/,
      ),
    ])
    // Uploaded but not attached: its id is in `certificates`, so that what follows can find it.
    const outputs = certificatesOutput(run)
    expect(Object.keys(outputs)).toEqual(['payments-client', 'billing-client', 'api-clients-ca'])
    expect(fake.certificates.has(outputs['api-clients-ca']?.id as string)).toBe(true)
    expect(outputs['api-clients-ca']?.created).toBe(true)
    expect(outputs['api-clients-ca']?.hostnames).toBeUndefined()
    expect(fake.certificates.size).toBe(3)
    expect(leakedSecrets(run, secretsOf(repo))).toEqual([])
  })
})

describe('the reads a manifest shares', () => {
  const listings = (from = 0) =>
    fake.requests.slice(from).filter((r) => r.method === 'GET' && r.path.endsWith('/mtls_certificates'))
  const scriptLists = () => fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/workers/scripts'))

  it.each(['end-of-job', 'immediately'])(
    'replace-when %s: the account is listed once before the entries, not once more for each',
    async (when) => {
      const repo = manifestRepository(manifestText({ replace: true }))
      const old = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: '2024-01-01T00:00:00Z' })
      const run = await mainStep(manifestInputs(fake, { 'replace-when': when }), env(repo))
      expect(errors(run)).toEqual([])
      expect(fake.requestsTo('POST')).toHaveLength(3)
      // One listing before the uploads; at most one after them for all three entries.
      expect(listings().length).toBeLessThanOrEqual(2)
      const firstPost = fake.requests.findIndex((r) => r.method === 'POST')
      expect(listings().length - listings(firstPost).length).toBe(1)
      // The older certificate is still found: retired now, or a candidate of the post step.
      if (when === 'immediately') expect(fake.certificates.has(old.id)).toBe(false)
      else
        expect(
          planOutput(run)
            .filter((row) => row.action === 'retire')
            .map((row) => row.id),
        ).toEqual([old.id])
    },
  )

  it("check-workers: every Worker's bindings are read once for the step, not once per entry", async () => {
    const repo = manifestRepository(manifestText({ replace: true }))
    for (const name of ['payments-client', 'billing-client'])
      fake.seed(issuedEarlier(), { name, uploadedOn: '2024-01-01T00:00:00Z' })
    fake.deployWorker('payments')
    const run = await mainStep(manifestInputs(fake, { 'dry-run': 'true', 'check-workers': 'true' }), env(repo))
    expect(errors(run)).toEqual([])
    expect(planOutput(run).filter((row) => row.action === 'retire')).toHaveLength(2)
    expect(scriptLists()).toHaveLength(1)
    expect(fake.requests.filter((r) => r.path.endsWith('/payments/deployments'))).toHaveLength(1)
  })
})

describe('a bad manifest', () => {
  it('reports every problem at once, with file and line, before any request (dist/)', async () => {
    const repo = manifestRepository(`version: 1
certificates:
  - name: payments-client
    certificate: ../../outside.pem
    ca: false
    private-key-env: GITHUB_TOKEN
  - name: payments-client
    certificate: certs/billing.pem
    ca: yes
    toString: x
  - name: billing-client
    certificate: certs/billing.pem
    ca: false
    private-key-env: \${{ secrets.PAYMENTS_CLIENT_KEY_2026Q1 }}
  - name: billing-next
    certificate: certs/billing.pem
    ca: false
    private-key-env: PAYMENTS_KEY
`)
    const run = await runAction(manifestInputs(fake), env(repo))
    expect(run.exitCode).toBe(1)
    const [message = ''] = errors(run)
    expect(message).toContain(`${MANIFEST_PATH}:4: certificates[0].certificate`)
    expect(message).toContain(`${MANIFEST_PATH}:6: certificates[0].private-key-env`)
    expect(message).toContain(`${MANIFEST_PATH}:7: certificates[1].name`)
    expect(message).toContain(`${MANIFEST_PATH}:9: certificates[1].ca`)
    // An inherited name is no field; an expression is not expanded; a key that fits no certificate is its own line.
    expect(message).toContain(`${MANIFEST_PATH}:10: certificates[1]: unknown field 'toString'`)
    expect(message).toContain(
      `${MANIFEST_PATH}:14: certificates[2].private-key-env: '\${{ secrets.PAYMENTS_CLIENT_KEY_2026Q1 }}' is an expression, and expressions are not expanded in a manifest`,
    )
    expect(message).toContain('Write private-key-env: PAYMENTS_CLIENT_KEY_2026Q1 in the manifest')
    expect(message).toMatch(
      new RegExp(
        `${MANIFEST_PATH.replaceAll('.', '\\.')}:18: certificates\\[3\\]\\.private-key-env: The private key .* the secret may still hold the previous key`,
      ),
    )
    expect(fake.requests).toEqual([])
    expect(leakedSecrets(run, secretsOf(repo))).toEqual([])
  })

  it('reports a tab once, with its line and the fix, not the parser cascade (dist/)', async () => {
    const repo = manifestRepository(manifestText().replace('    ca: false\n', '\tca: false\n'))
    const run = await runAction(manifestInputs(fake), env(repo))
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /has 1 problem, so nothing was sent: \(1\) .*: YAML: Tabs are not allowed as indentation: tabs cannot indent YAML: use spaces/,
      ),
    ])
    expect(fake.requests).toEqual([])
  })

  it('refuses per-certificate inputs beside it, and fail-on-changes without dry-run', async () => {
    const repo = manifestRepository()
    const both = await mainStep(manifestInputs(fake, { ca: 'true' }), env(repo))
    expect(errors(both)).toEqual([expect.stringContaining("Input 'manifest' is set, and so is 'ca'")])
    const real = await mainStep(manifestInputs(fake, { 'fail-on-changes': 'true' }), env(repo))
    expect(errors(real)).toEqual([expect.stringContaining("Input 'fail-on-changes' needs dry-run: true")])
    expect(fake.requests).toEqual([])
  })
})

describe('the plan on a pull request', () => {
  it('comments it, edits the comment only when the plan changes, and masks every secret (dist/)', async () => {
    gitHub.reset()
    gitHub.add({ number: PULL, title: 'Certificates', body: '', pull_request: true })
    const repo = manifestRepository()
    const inputs = manifestInputs(fake, { 'dry-run': 'true', 'pr-comment': 'true', 'github-token': GITHUB_TOKEN })
    const event = pullRequestEvent(repo.workspace, PULL)
    const first = await runAction(inputs, env(repo, event))
    expect(errors(first)).toEqual([])
    expect(gitHub.comments).toHaveLength(1)
    expect(gitHub.comments[0]?.body).toContain('4 changes to make.')
    expect(gitHub.comments[0]?.body).toContain('| `payments-client` | `upload` |')
    // The pull request's head, not GITHUB_SHA (the merge commit the run is for).
    expect(gitHub.comments[0]?.body).toContain(`Planned for commit [\`${HEAD_SHA.slice(0, 12)}\`]`)
    expect(gitHub.comments[0]?.body).not.toContain('feedface')
    expect(leakedSecrets(first, secretsOf(repo))).toEqual([])
    for (const secret of secretsOf(repo))
      expect(gitHub.comments[0]?.body).not.toContain(secret.trim().split('\n')[1] ?? secret)

    // Through dist/ each time: @actions/github reads GITHUB_API_URL and the event when it is loaded, once per process.
    const unchanged = await runAction(inputs, env(repo, event))
    expect(unchanged.exitCode).toBe(0)
    expect(gitHub.writes.map((r) => r.method)).toEqual(['POST'])

    // Applied: the plan is now "no changes", and the one comment says so.
    expect((await mainStep(manifestInputs(fake), env(repo))).exitCode).toBe(0)
    expect((await runAction(inputs, env(repo, event))).exitCode).toBe(0)
    expect(gitHub.writes.map((r) => r.method)).toEqual(['POST', 'PATCH'])
    expect(gitHub.comments).toHaveLength(1)
    expect(gitHub.comments[0]?.body).toContain('No changes: the account matches the manifest.')
  })

  it("lists a failed entry, says so when a later push cannot plan, and leaves another author's marker alone (dist/)", async () => {
    gitHub.reset()
    gitHub.add({ number: PULL, title: 'Certificates', body: '', pull_request: true })
    const planted = gitHub.addComment(
      PULL,
      `<!-- cloudflare-mtls-certificate plan: ${MANIFEST_PATH} -->\nNo changes: merge away`,
      'mallory',
    )
    const repo = manifestRepository()
    expect((await mainStep(manifestInputs(fake), env(repo))).exitCode).toBe(0)
    // Now the CA's hostnames cannot be read: its entry fails, the others are planned.
    fake.inject({
      method: 'GET',
      pathSuffix: '/certificate_authorities/hostname_associations',
      fault: {
        kind: 'respond',
        status: 403,
        body: JSON.stringify({
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }],
          messages: [],
          result: null,
        }),
      },
      times: Infinity,
    })
    const inputs = manifestInputs(fake, {
      'dry-run': 'true',
      'pr-comment': 'true',
      'github-token': GITHUB_TOKEN,
      'max-retries': '0',
    })
    const first = await runAction(inputs, env(repo, pullRequestEvent(repo.workspace, PULL)))
    expect(first.exitCode).toBe(1)
    expect(planted.body).toContain('merge away')
    expect(gitHub.comments).toHaveLength(2)
    const ours = gitHub.comments[1]
    expect(ours?.body).toContain('1 entry failed, so the plan is incomplete')
    expect(ours?.body).toContain('- `api-clients-ca` (line 11): `')
    expect(ours?.body).not.toContain('No changes')

    // The next push breaks the manifest: the comment says the plan failed, for that commit.
    const second = '89e6c98d92887913cadf06b2adb97f26cde4849b'
    writeFileSync(join(repo.workspace, MANIFEST_PATH), 'version: 1\ncertificates:\n  - name: payments-client\n')
    const broken = await runAction(inputs, env(repo, pullRequestEvent(repo.workspace, PULL, false, second)))
    expect(broken.exitCode).toBe(1)
    expect(gitHub.comments).toHaveLength(2)
    expect(ours?.body).toContain(`**The plan failed** for commit [\`${second.slice(0, 12)}\`]`)
    expect(ours?.body).toContain(`${MANIFEST_PATH}:3`)
    expect(ours?.body).not.toContain('| `payments-client`')
    for (const run of [first, broken]) expect(leakedSecrets(run, secretsOf(repo))).toEqual([])
    for (const secret of secretsOf(repo)) expect(ours?.body).not.toContain(secret.trim().split('\n')[1] ?? secret)
  })

  it("explains a fork's run without credentials and passes, reading nothing", async () => {
    const repo = manifestRepository()
    const inputs = { ...manifestInputs(fake, { 'dry-run': 'true', 'pr-comment': 'true' }), 'api-token': '' }
    const run = await mainStep(inputs, { workspace: repo.workspace, env: pullRequestEvent(repo.workspace, PULL, true) })
    expect(run.exitCode).toBe(0)
    expect(run.annotations).toEqual([
      { level: 'notice', message: expect.stringContaining('pull requests from forks get no secrets') },
    ])
    expect(run.summary).toContain('No plan: pull requests from forks get no secrets')
    expect(run.summary).toContain('3 entries checked')
    expect(fake.requests).toEqual([])
  })

  it("still checks a fork's manifest without secrets, and fails its run on a broken one, reading nothing", async () => {
    const repo = manifestRepository(manifestText().replace('ca: true', 'ca: maybe'))
    const inputs = { ...manifestInputs(fake, { 'dry-run': 'true' }), 'api-token': '' }
    const run = await mainStep(inputs, { workspace: repo.workspace, env: pullRequestEvent(repo.workspace, PULL, true) })
    expect(run.exitCode).toBe(1)
    expect(errors(run).join('\n')).toContain('certificates[2].ca')
    expect(fake.requests).toEqual([])
  })
})

describe('fail-on-changes', () => {
  it('fails a dry run on drift, naming each change, and passes once the account matches (dist/)', async () => {
    const repo = manifestRepository()
    const inputs = manifestInputs(fake, { 'dry-run': 'true', 'fail-on-changes': 'true' })
    const drift = await runAction(inputs, env(repo))
    expect(drift.exitCode).toBe(1)
    const [message = ''] = errors(drift)
    expect(message).toMatch(/^The account differs from the manifest \(fail-on-changes\): 4 changes planned: /)
    for (const name of ['payments-client upload', 'billing-client upload', 'api-clients-ca upload'])
      expect(message).toContain(name)
    expect(drift.outputs.changes).toBe('4')
    expect(fake.certificates.size).toBe(0)
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([])

    expect((await mainStep(manifestInputs(fake), env(repo))).exitCode).toBe(0)
    const clean = await mainStep(inputs, env(repo))
    expect(errors(clean)).toEqual([])
    expect(clean.exitCode).toBe(0)
    expect(clean.outputs.changes).toBe('0')
  })
})
