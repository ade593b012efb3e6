import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID, makeClient, makeWorkspace } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import type { FakeGitHub } from '../support/fake-github.ts'
import { pullRequestEvent } from '../support/manifest-workspace.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'
import { dryRunBindings } from '../support/wrangler-cli.ts'

/**
 * The whole loop a team lives with, as the recipes of README.md and docs/manifest.md play it, through
 * dist/ against the stand-in: first push (and deploy), the next day's drift check, a pull request that
 * rotates one certificate (its comment made, then updated on a second push), the merge with the
 * workflow's deploy (wrangler reading the written file) and the post step, the next day's drift check,
 * a pull request rotating an Access CA and an origin pull certificate through merge and post step, a
 * forgotten deploy, a certificate deleted by hand, and a mistake in the manifest. Each drift check runs on a fresh checkout,
 * whose committed ids are placeholders: what is compared is what Cloudflare serves.
 */

const GITHUB_TOKEN = 'ghs_l1fecycleT0kenCCCCCCCCCCCCCCCCCCCCCC'
const PULL = 21
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000'
const MANIFEST = 'deploy/certificates.yml'
const HOSTNAMES = ['api.example.com', 'partners.example.com']
const ACCESS_HOSTNAME = 'app.example.com'
const ORIGIN_HOSTNAME = 'origin.example.com'

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))

/**
 * The committed files: a manifest of two Worker client certificates, one API Shield CA, an Access CA
 * and an origin pull client certificate, with placeholders.
 */
const COMMITTED: Record<string, string> = {
  [MANIFEST]: `version: 1
certificates:
  - name: payments-client
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY
    replace: true
    wrangler:
      - { config: ../workers/payments/wrangler.jsonc, binding: PAYMENTS_CERT }
  - name: billing-client
    certificate: certs/billing.pem
    ca: false
    private-key-env: BILLING_KEY
    replace: true
    wrangler:
      - { config: ../workers/billing/wrangler.toml, binding: BILLING_CERT }
  - name: api-clients-ca
    certificate: pki/ca.pem
    ca: true
    replace: true
    zone-id: ${ZONE_ID}
    hostnames: [${HOSTNAMES.join(', ')}]
  - name: partners-ca
    store: access
    certificate: pki/partners-ca.pem
    replace: true
    hostnames: [${ACCESS_HOSTNAME}]
  - name: origin-client
    store: origin-pull
    certificate: certs/origin.pem
    private-key-env: ORIGIN_KEY
    replace: true
    zone-id: ${ZONE_ID}
    hostnames: [${ORIGIN_HOSTNAME}]
`,
  'workers/payments/wrangler.jsonc': `{
  "name": "payments", // the top level: for wrangler dev, never deployed
  "main": "index.js",
  "compatibility_date": "2025-01-01",
  "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${PLACEHOLDER}" }],
  "env": {
    "production": {
      "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${PLACEHOLDER}" }],
    },
  },
}
`,
  'workers/payments/index.js': 'export default { fetch: () => new Response("ok") }\n',
  'workers/billing/wrangler.toml': `name = "billing"
main = "index.js"
compatibility_date = "2025-01-01"

[[mtls_certificates]]
binding = "BILLING_CERT"
certificate_id = "${PLACEHOLDER}"
`,
  'workers/billing/index.js': 'export default { fetch: () => new Response("ok") }\n',
}

interface Repository {
  workspace: string
  env: Record<string, string>
  secrets: string[]
  /** A new client certificate and key for payments-client, committed and put in the secret. */
  rotatePayments(): void
  /** A new Access CA and a new origin pull certificate (its key in the secret), committed. */
  rotateAccessAndOrigin(): void
  /** A fresh checkout of what is committed: the Wrangler files back to their placeholders. */
  checkout(): void
}

function repository(): Repository {
  const payments = makeClient('ec')
  const billing = makeClient('ec')
  const ca = issueCertificate({ commonName: 'API clients CA', key: generateKey('ec'), ca: true })
  const partners = issueCertificate({ commonName: 'Partners CA', key: generateKey('ec'), ca: true })
  const origin = makeClient('ec')
  const workspace = makeWorkspace({
    ...COMMITTED,
    'deploy/certs/payments.pem': payments.client.pem,
    'deploy/certs/billing.pem': billing.client.pem,
    'deploy/pki/ca.pem': ca.pem,
    'deploy/pki/partners-ca.pem': partners.pem,
    'deploy/certs/origin.pem': origin.client.pem,
  })
  const env = { PAYMENTS_KEY: payments.keyPem, BILLING_KEY: billing.keyPem, ORIGIN_KEY: origin.keyPem }
  const secrets = [API_TOKEN, GITHUB_TOKEN, payments.keyPem, billing.keyPem, origin.keyPem]
  return {
    workspace,
    env,
    secrets,
    rotatePayments() {
      const next = makeClient('ec')
      writeFileSync(join(workspace, 'deploy/certs/payments.pem'), next.client.pem)
      env.PAYMENTS_KEY = next.keyPem
      secrets.push(next.keyPem)
    },
    rotateAccessAndOrigin() {
      const nextCa = issueCertificate({ commonName: 'Partners CA 2', key: generateKey('ec'), ca: true })
      writeFileSync(join(workspace, 'deploy/pki/partners-ca.pem'), nextCa.pem)
      const next = makeClient('ec')
      writeFileSync(join(workspace, 'deploy/certs/origin.pem'), next.client.pem)
      env.ORIGIN_KEY = next.keyPem
      secrets.push(next.keyPem)
    },
    checkout() {
      for (const file of ['workers/payments/wrangler.jsonc', 'workers/billing/wrangler.toml'])
        writeFileSync(join(workspace, file), COMMITTED[file] ?? '')
    },
  }
}

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  'account-id': ACCOUNT_ID,
  'api-token': API_TOKEN,
  'api-base-url': fake.url,
  manifest: MANIFEST,
  'github-token': GITHUB_TOKEN,
  ...extra,
})
const DRIFT = { 'dry-run': 'true', 'fail-on-changes': 'true' }

type Row = { name: string; action: string; id?: string; worker?: string; reason?: string }
const planOf = (run: ActionRun): Row[] => JSON.parse(run.outputs.plan ?? '[]') as Row[]
const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const idsOf = (run: ActionRun): Record<string, string> =>
  Object.fromEntries(
    Object.entries(JSON.parse(run.outputs.certificates ?? '{}') as Record<string, { id: string }>).map(([n, c]) => [
      n,
      c.id,
    ]),
  )

/**
 * The workflow's deploy: the Worker then serves what its written file says. At the merge, wrangler
 * itself reads the files (seconds of CPU a run); elsewhere the ids are read from the text.
 */
async function deploy(repo: Repository, withWrangler = false): Promise<void> {
  const read = (file: string) => readFileSync(join(repo.workspace, file), 'utf8')
  const idIn = (text: string, section: RegExp) =>
    /"?certificate_id"?\s*[:=]\s*"([^"]+)"/.exec(section.exec(text)?.[0] ?? '')?.[1] ?? ''
  const [payments, billing] = withWrangler
    ? await Promise.all([
        dryRunBindings(repo.workspace, 'workers/payments/wrangler.jsonc', 'production'),
        dryRunBindings(repo.workspace, 'workers/billing/wrangler.toml'),
      ])
    : [
        { PAYMENTS_CERT: idIn(read('workers/payments/wrangler.jsonc'), /"production"[\s\S]*/) },
        { BILLING_CERT: idIn(read('workers/billing/wrangler.toml'), /[\s\S]*/) },
      ]
  fake.deployWorker('payments-production', payments)
  fake.deployWorker('billing', billing)
}

describe('the lifecycle of a manifest, through dist/', () => {
  it('first push, drift check, pull request, merge with deploy and post step, drift check, forgotten deploy, hand-deleted certificate', async () => {
    const repo = repository()
    const step = (extra: Record<string, string> = {}, env: Record<string, string> = {}) =>
      runAction(inputs(extra), { workspace: repo.workspace, env: { ...repo.env, GITHUB_API_URL: gitHub.url, ...env } })
    const runs: ActionRun[] = []
    const check = async (run: Promise<ActionRun>): Promise<ActionRun> => {
      const done = await run
      runs.push(done)
      return done
    }

    // 1. First push: every certificate uploaded, the ids written for the deploy, which then serves them.
    const first = await check(step())
    expect(errors(first)).toEqual([])
    const firstIds = idsOf(first)
    expect(JSON.parse(first.outputs['wrangler-configs'] ?? '')).toEqual([
      'workers/payments/wrangler.jsonc',
      'workers/billing/wrangler.toml',
    ])
    expect(readFileSync(join(repo.workspace, 'workers/billing/wrangler.toml'), 'utf8')).toContain(
      firstIds['billing-client'],
    )
    await deploy(repo)
    expect((await check(runPostStep(inputs(), first, { workspace: repo.workspace }))).exitCode).toBe(0)

    // 2. The next day's drift check, on a fresh checkout with placeholder ids: the account matches.
    repo.checkout()
    const quiet = await check(step(DRIFT))
    expect(errors(quiet)).toEqual([])
    expect(quiet.outputs.changes).toBe('0')
    expect(planOf(quiet).map((row) => row.action)).not.toContain('deploy')

    // 3. A pull request rotating payments-client: the plan the comment shows, made again on a second push.
    repo.rotatePayments()
    gitHub.add({ number: PULL, title: 'Rotate payments', body: '', pull_request: true })
    const pr = { 'dry-run': 'true', 'pr-comment': 'true' }
    const planned = await check(step(pr, pullRequestEvent(repo.workspace, PULL)))
    expect(errors(planned)).toEqual([])
    const rows = planOf(planned)
    expect(rows.filter((row) => row.action === 'upload').map((row) => row.name)).toEqual(['payments-client'])
    expect(rows.find((row) => row.action === 'deploy')).toMatchObject({ worker: 'payments-production' })
    const plannedRetires = rows.filter((row) => row.action === 'retire').map((row) => row.id)
    expect(plannedRetires, planned.log).toEqual([firstIds['payments-client']])
    expect(rows.find((row) => row.action === 'retire')?.reason).toContain('deploy moves Worker payments-production')
    expect(gitHub.comments).toHaveLength(1)
    const again = await check(step(pr, pullRequestEvent(repo.workspace, PULL, false, 'b'.repeat(40))))
    expect(errors(again)).toEqual([])
    expect(gitHub.comments).toHaveLength(1)
    expect(gitHub.comments[0]?.body).toContain('bbbbbbbbbbbb')

    // 4. The merge: the certificate uploaded and written, the deploy moves the Worker, the post step retires.
    repo.checkout()
    const merged = await check(step())
    expect(errors(merged)).toEqual([])
    expect(
      planOf(merged)
        .filter((row) => row.action === 'retire')
        .map((row) => row.id),
    ).toEqual(plannedRetires)
    await deploy(repo)
    const post = await check(runPostStep(inputs(), merged, { workspace: repo.workspace }))
    expect(post.annotations.filter((a) => a.level === 'warning')).toEqual([])
    for (const id of plannedRetires) expect(fake.certificates.has(id ?? '')).toBe(false)

    // 5. The next day's drift check passes, whatever the committed ids.
    repo.checkout()
    const next = await check(step(DRIFT))
    expect(errors(next)).toEqual([])
    expect(next.outputs.changes).toBe('0')

    // 5b. A pull request rotating the Access CA and the origin pull certificate (Cloudflare letting a
    // hostname have two Access CAs for the move, and noticing the old CA's detach late): its comment
    // shows both moves and the retires after them; the merge moves the hostnames, the post step retires.
    fake.access.refuseSharedHostnames = false
    fake.access.hostnameReadLag = 1
    fake.access.deleteRefusals = 1
    const oldAccess = [...fake.access.certificates.values()].find((c) => c.name === 'partners-ca')?.id ?? ''
    const oldOrigin = idsOf(first)['origin-client'] ?? ''
    repo.rotateAccessAndOrigin()
    gitHub.add({
      number: PULL + 1,
      title: 'Rotate the Access CA and the origin pull certificate',
      body: '',
      pull_request: true,
    })
    const storesPlanned = await check(step(pr, pullRequestEvent(repo.workspace, PULL + 1)))
    expect(errors(storesPlanned)).toEqual([])
    const storeRows = planOf(storesPlanned).filter((row) => row.name === 'partners-ca' || row.name === 'origin-client')
    expect(storeRows.map((row) => `${row.name} ${row.action}`)).toEqual([
      'partners-ca upload',
      'partners-ca note',
      'partners-ca attach',
      'partners-ca detach',
      'partners-ca retire',
      'origin-client upload',
      'origin-client attach',
      'origin-client note',
      'origin-client retire',
    ])
    expect(storeRows.filter((row) => row.action === 'retire').map((row) => row.id)).toEqual([oldAccess, oldOrigin])
    const storesComment = gitHub.comments.at(-1)?.body ?? ''
    expect(storesComment).toContain(`Access, account ${ACCOUNT_ID}`)
    // The reviewer reads what Cloudflare may refuse at the merge, and the way around it.
    expect(storesComment).toContain('if Cloudflare refuses a hostname on two Access CAs')
    expect(storesComment).toContain(`origin pulls, zone ${ZONE_ID}, per hostname`)
    expect(storesComment).toMatch(/`partners-ca` \| `retire` \| `[0-9a-f-]+` \|[^|]*\| [^|]*at the end of the job/)

    repo.checkout()
    const storesMerged = await check(step())
    expect(errors(storesMerged)).toEqual([])
    const newAccess = [...fake.access.certificates.values()].find((c) => c.id !== oldAccess)
    expect(newAccess?.associated_hostnames).toEqual([ACCESS_HOSTNAME])
    expect(fake.access.certificates.has(oldAccess)).toBe(true) // retired at the end of the job
    const storesPost = await check(runPostStep(inputs(), storesMerged, { workspace: repo.workspace }))
    expect(storesPost.annotations.filter((a) => a.level === 'warning')).toEqual([])
    expect(fake.access.certificates.has(oldAccess)).toBe(false)
    expect(fake.originPull.hostnameCertificates.get(ZONE_ID)?.has(oldOrigin)).toBe(false)
    repo.checkout()
    const storesSettled = await check(step(DRIFT))
    expect(errors(storesSettled)).toEqual([])
    expect(storesSettled.outputs.changes).toBe('0')

    // 6. A forgotten deploy: merged and post step, but the Worker still serves the old certificate.
    repo.rotatePayments()
    repo.checkout()
    const forgotten = await check(step())
    expect(errors(forgotten)).toEqual([])
    const kept = await check(runPostStep(inputs(), forgotten, { workspace: repo.workspace }))
    expect(kept.annotations.map((a) => a.message).join('\n')).toContain('used by Worker payments-production')
    repo.checkout()
    const drifted = await check(step(DRIFT))
    expect(drifted.exitCode).toBe(1)
    expect(errors(drifted).join('\n')).toContain('deploy Worker payments-production')

    // 7. The workflow run again, with its deploy this time: the older certificate goes, the drift check passes.
    const reapplied = await check(step())
    await deploy(repo)
    await check(runPostStep(inputs(), reapplied, { workspace: repo.workspace }))
    repo.checkout()
    const settled = await check(step(DRIFT))
    expect(settled.outputs.changes).toBe('0')

    // 8. A certificate deleted by hand: the drift check fails naming it, and the fix.
    const caId = idsOf(first)['api-clients-ca'] ?? ''
    fake.certificates.delete(caId)
    const missing = await check(step(DRIFT))
    expect(missing.exitCode).toBe(1)
    expect(errors(missing).join('\n')).toMatch(/api-clients-ca upload .*apply the manifest/)

    // 9. A certificate present only under another name (renamed by hand): drift, with the fix.
    fake.certificates.delete(caId)
    const billing = fake.certificates.get(idsOf(first)['billing-client'] ?? '')
    if (billing) billing.name = 'renamed-by-hand'
    const renamed = await check(step(DRIFT))
    expect(renamed.exitCode).toBe(1)
    expect(errors(renamed).join('\n')).toMatch(/billing-client rename .*rename .* in the dashboard/)

    // 10. A mistake in the manifest on a pull request: an Access CA given a key. Refused before any
    // request, naming the file, the line and the store; the comment says the plan failed.
    const manifestFile = join(repo.workspace, MANIFEST)
    const good = readFileSync(manifestFile, 'utf8')
    writeFileSync(
      manifestFile,
      good.replace(
        'certificate: pki/partners-ca.pem\n',
        'certificate: pki/partners-ca.pem\n    private-key-env: ORIGIN_KEY\n',
      ),
    )
    const sent = fake.requests.length
    gitHub.add({ number: PULL + 2, title: 'Give the partners CA a key', body: '', pull_request: true })
    const mistaken = await check(step(pr, pullRequestEvent(repo.workspace, PULL + 2)))
    expect(mistaken.exitCode).toBe(1)
    const line = good.split('\n').findIndex((text) => text.includes('pki/partners-ca.pem')) + 2
    expect(errors(mistaken).join('\n')).toContain(`${MANIFEST}:${line}`)
    expect(errors(mistaken).join('\n')).toContain('is not used with store: access')
    expect(fake.requests.length).toBe(sent)
    expect(gitHub.comments.at(-1)?.body).toMatch(/plan failed|could not be made/i)
    writeFileSync(manifestFile, good)

    for (const run of runs) expect(leakedSecrets(run, repo.secrets)).toEqual([])
    // About 35 runs of the bundle, and origin pulls' real waits for `active`: minutes under a loaded machine.
  }, 120_000)
})
