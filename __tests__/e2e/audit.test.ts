import { afterEach, describe, expect, it } from 'vitest'
import { partialListingAnswer, successAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import type { FakeGitHub } from '../support/fake-github.ts'
import { ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN, startFake } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, type IssuedCertificate } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'

/**
 * The audit action (audit/action.yml) through its committed bundle, dist/audit/index.js, against the
 * Cloudflare stand-in and a stand-in for GitHub's issues API.
 */

const DAY = 86_400_000
const GITHUB_TOKEN = 'ghs_fAk3TokenForTheIssueStandIn0123456789'
const KEY = generateKey('ec')
const ROOT = issueCertificate({
  commonName: 'Audit Root',
  key: KEY,
  ca: true,
  notAfter: new Date(Date.now() + 3000 * DAY),
})

/** A client certificate that expires this many days (and an hour, so that whole days are stable) from now. */
const expiringIn = (days: number, issuer: IssuedCertificate = ROOT): IssuedCertificate =>
  issueCertificate({
    commonName: `client-${days}`,
    key: KEY,
    issuer,
    notBefore: new Date(Date.now() - 1000 * DAY),
    notAfter: new Date(Date.now() + days * DAY - 3_600_000),
  })

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))
afterEach(() => {
  // The audit only reads from Cloudflare.
  expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([])
})

const audit = (inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> =>
  runAction(
    { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, 'api-base-url': fake.url, ...inputs },
    { audit: true, env: { GITHUB_API_URL: gitHub.url, ...env } },
  )
const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)

describe('the audit', () => {
  it('reports every custom certificate by expiry, fails on those within fail-days, and says what uses them', async () => {
    const expired = fake.seed(expiringIn(-2).pem, { name: 'old-client' })
    const failing = fake.seed(expiringIn(3).pem, { name: 'payments-client', inUseBy: ['api_shield', 'gateway'] })
    const intermediate = issueCertificate({
      commonName: 'Short Intermediate',
      key: KEY,
      issuer: ROOT,
      ca: true,
      notAfter: new Date(Date.now() + 5 * DAY - 3_600_000),
    })
    const leaf = issueCertificate({ commonName: 'long-leaf', key: KEY, issuer: intermediate })
    const chain = fake.seed(`${leaf.pem}${intermediate.pem}`, { name: 'chained' })
    const warned = fake.seed(expiringIn(20).pem, { name: 'edge-ca', ca: true })
    const fine = fake.seed(expiringIn(200).pem, { name: 'fine', inUseBy: ['api_shield'] })
    fake.seed(expiringIn(1).pem, { name: 'gateway', type: 'gateway_managed' })

    const run = await audit()

    expect(run.exitCode).toBe(1)
    const expiring = JSON.parse(run.outputs.expiring ?? '') as { id: string; days_left: number; in_use: unknown }[]
    expect(expiring.map((c) => c.id)).toEqual([expired.id, failing.id, chain.id, warned.id])
    expect(expiring.map((c) => c.days_left)).toEqual([-2, 3, 5, 20])
    expect(expiring[1]).toEqual({
      id: failing.id,
      name: 'payments-client',
      ca: false,
      expires_on: failing.expires_on,
      days_left: 3,
      in_use: ['api_shield', 'gateway'],
    })
    expect(run.outputs).toMatchObject({ 'expiring-count': '4', 'expired-count': '1', total: '5' })
    expect(errors(run)).toHaveLength(3)
    expect(errors(run)[2]).toContain('certificate 2 of 2 (CN=Short Intermediate) of its chain expires first')
    expect(warnings(run)).toEqual([expect.stringContaining("Certificate 'edge-ca' (CA, id")])
    // One listing, of the account's own certificates; the usage of the flagged ones only.
    const lists = fake.requestsTo('GET', '/mtls_certificates')
    expect(lists.map((r) => r.query)).toEqual(['?type=custom'])
    const reads = fake.requestsTo('GET', '/associations').map((r) => r.path.split('/').at(-2))
    expect(reads.sort()).toEqual([expired.id, failing.id, chain.id, warned.id].sort())
    expect(reads).not.toContain(fine.id)
    // The summary's table, soonest first.
    const order = ['old-client', 'payments-client', 'chained', 'edge-ca', 'fine'].map((n) =>
      run.summary.indexOf(`>${n}<`),
    )
    expect(order.every((position, i) => position > 0 && (i === 0 || position > (order[i - 1] ?? 0)))).toBe(true)
    expect(run.summary).toContain('api_shield, gateway')
    expect(run.summary).not.toContain('>gateway<')
    expect(gitHub.requests).toEqual([])
  })

  it("reads every page of a certificate's associations: all 25 services of two pages are reported", async () => {
    const services = Array.from({ length: 25 }, (_, i) => `service-${String(i + 1).padStart(2, '0')}`)
    const used = fake.seed(expiringIn(3).pem, { name: 'busy-client', inUseBy: services })
    const run = await audit()
    const expiring = JSON.parse(run.outputs.expiring ?? '') as { id: string; in_use: string[] }[]
    expect(expiring).toEqual([expect.objectContaining({ id: used.id, in_use: services })])
    expect(fake.requestsTo('GET', '/associations').map((r) => r.query)).toEqual(['', '?page=2'])
    expect(run.summary).toContain('service-25')
    expect(run.summary).not.toContain('at least')
  })

  it('passes when nothing expires within fail-days, and with fail-days 0 only warns', async () => {
    fake.seed(expiringIn(400).pem, { name: 'fine' })
    const clean = await audit()
    expect(clean.exitCode).toBe(0)
    expect(clean.outputs).toMatchObject({ expiring: '[]', 'expiring-count': '0', 'expired-count': '0', total: '1' })
    expect(clean.annotations).toEqual([])

    fake.seed(expiringIn(-1).pem, { name: 'gone' })
    const lenient = await audit({ 'fail-days': '0' })
    expect(lenient.exitCode).toBe(0)
    expect(lenient.outputs['expired-count']).toBe('1')
    expect(warnings(lenient)).toEqual([expect.stringContaining("Certificate 'gone' (leaf, id")])
  })

  it('audits only the names that match a pattern, and reads no usage with check-usage false', async () => {
    fake.seed(expiringIn(2).pem, { name: 'payments-eu' })
    fake.seed(expiringIn(2).pem, { name: 'other' })
    const run = await audit({ names: 'payments-*\n  edge-??  \n', 'check-usage': 'false' })
    expect(run.outputs.total).toBe('1')
    expect(JSON.parse(run.outputs.expiring ?? '')).toEqual([
      expect.objectContaining({ name: 'payments-eu', in_use: null }),
    ])
    expect(fake.requestsTo('GET', '/associations')).toEqual([])
  })

  it('reads what uses the expiring certificates at most 8 at a time', async () => {
    for (let i = 0; i < 20; i++) fake.seed(expiringIn(20).pem, { name: `client-${i}`, inUseBy: ['api_shield'] })
    fake.answerDelayMs = 50
    const run = await audit()
    expect(run.outputs['expiring-count']).toBe('20')
    expect(fake.requestsTo('GET', '/associations')).toHaveLength(20)
    expect(fake.peakConcurrent).toBe(8)
  })

  it('groups the annotations of one level into one past ten', async () => {
    for (let i = 0; i < 12; i++) fake.seed(expiringIn(2).pem, { name: `client-${String(i).padStart(2, '0')}` })
    const run = await audit({ 'check-usage': 'false' })
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toHaveLength(1)
    expect(errors(run)[0]).toMatch(/^12 certificates expire within fail-days \(7\) or have expired: .* and 2 more\./)
  })

  it('fails closed on a listing of unexpected shape, rather than report all clear', async () => {
    gitHub.add({ title: 'tracked', body: 'x', labels: ['mtls-certificate-expiry'] })
    fake.inject({ method: 'GET', pathSuffix: '/mtls_certificates', fault: successAnswer({ certificates: [] }) })
    const run = await audit({ issue: 'true', 'github-token': GITHUB_TOKEN })
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([expect.stringContaining('its answer holds no list of certificates')])
    expect(run.outputs).toEqual({})
    expect(gitHub.requests).toEqual([])
  })

  it('fails closed on a listing that says it holds more certificates than it returned', async () => {
    gitHub.add({ title: 'tracked', body: 'x', labels: ['mtls-certificate-expiry'] })
    fake.seed(expiringIn(300).pem, { name: 'fine' })
    const [only] = [...fake.certificates.values()].map(({ private_key: _key, ...listed }) => listed)
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: partialListingAnswer([only], { total_count: 120, total_pages: 3 }),
    })
    const run = await audit({ issue: 'true', 'github-token': GITHUB_TOKEN })
    // 119 certificates were never looked at: "all clear" must not be the answer.
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([
      'Cloudflare listed 1 certificate of 120 (page 1 of 3): the listing is partial. The audit cannot vouch for certificates it did not see, so it fails rather than report on part of the account; nothing was changed. Delete the certificates the account no longer uses, or audit again later.',
    ])
    expect(run.outputs).toEqual({})
    expect(gitHub.requests).toEqual([])
  })

  it('reports a listed certificate whose fields are not of their type, not an unexpected error', async () => {
    const { id } = fake.seed(expiringIn(3).pem, { name: 'x' })
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: successAnswer([{ id, name: 42, ca: 'no', type: 'custom', certificates: expiringIn(3).pem }]),
    })
    const run = await audit()
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([
      expect.stringMatching(/^Certificate \(unnamed\) \(leaf, id [0-9a-f-]+\) expires in 3 days/),
    ])
  })

  it('warns about a certificate that is not valid yet, as clients using it are refused now', async () => {
    const later = issueCertificate({
      commonName: 'later',
      key: KEY,
      issuer: ROOT,
      notBefore: new Date(Date.now() + 2 * DAY),
      notAfter: new Date(Date.now() + 300 * DAY),
    })
    fake.seed(later.pem, { name: 'later' })
    const run = await audit()
    expect(run.exitCode).toBe(0)
    expect(warnings(run)).toEqual([
      expect.stringMatching(
        /^Certificate 'later' \(leaf, id .*\) is not valid until \S+ \(clients using it are refused until then\)/,
      ),
    ])
    expect(run.summary).toContain('⚠️ not valid yet')
  })

  it('rejects bad input before any request, naming the input', async () => {
    const run = await audit({ 'warn-days': 'soon' })
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([expect.stringMatching(/^Input 'warn-days' must be a whole number/)])
    const noToken = await audit({ issue: 'true' })
    expect(errors(noToken)).toEqual([expect.stringMatching(/^Input 'issue' is true but there is no GitHub token/)])
    expect(fake.requests).toEqual([])
  })

  it('keeps no secret in any output, with debug logging on', async () => {
    fake.seed(expiringIn(3).pem, { name: 'payments-client', inUseBy: ['api_shield'] })
    const run = await audit({ issue: 'true', 'github-token': GITHUB_TOKEN })
    expect(run.exitCode).toBe(1)
    expect(run.rawStdout).toContain('::debug::')
    expect(leakedSecrets(run, [API_TOKEN, GITHUB_TOKEN])).toEqual([])
    expect(gitHub.issues).toHaveLength(1)
  })

  it('keeps no global API key in any output either', async () => {
    const other = await startFake({ email: API_EMAIL, key: API_KEY })
    try {
      other.seed(expiringIn(3).pem, { name: 'payments-client' })
      const run = await runAction(
        { 'account-id': ACCOUNT_ID, 'api-base-url': other.url },
        { audit: true, env: { CLOUDFLARE_EMAIL: API_EMAIL, CLOUDFLARE_API_KEY: API_KEY } },
      )
      expect(run.outputs['expiring-count']).toBe('1')
      expect(leakedSecrets(run, [API_KEY])).toEqual([])
    } finally {
      await other.stop()
    }
  })
})

describe('the tracking issue', () => {
  const withIssue = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
    audit({ issue: 'true', 'github-token': GITHUB_TOKEN, 'fail-days': '0', ...inputs })

  it('is created, left alone while the list is the same, edited when it changes, and closed when clear', async () => {
    // An issue of someone else's with the same label, and one with the title alone: neither is ours.
    gitHub.add({
      title: 'mTLS certificates expiring in Cloudflare: 1',
      body: 'by hand',
      labels: ['mtls-certificate-expiry'],
    })
    const first = fake.seed(expiringIn(10).pem, { name: 'payments-client' })

    const created = await withIssue()
    expect(created.exitCode).toBe(0)
    const ours = gitHub.issues.filter((i) => i.number !== 1)
    expect(ours).toHaveLength(1)
    const issue = ours[0]
    expect(issue).toMatchObject({ state: 'open', labels: ['mtls-certificate-expiry'] })
    expect(issue?.body).toMatch(/^<!-- cloudflare-mtls-certificate-audit [0-9a-f]{16} -->\n/)
    expect(issue?.body).toContain(first.id)
    expect(issue?.body).not.toContain(ACCOUNT_ID)
    expect(created.log).toContain(`Tracking issue #${issue?.number}: created.`)

    gitHub.requests.length = 0
    const same = await withIssue()
    expect(gitHub.writes).toEqual([])
    expect(same.log).toContain(`Tracking issue #${issue?.number}: unchanged.`)

    const second = fake.seed(expiringIn(-1).pem, { name: 'old-client' })
    await withIssue()
    expect(gitHub.writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /repos/acme/certificates/issues/${issue?.number}`,
    ])
    expect(issue?.body).toContain(second.id)
    expect(issue?.title).toBe('mTLS certificates expiring in Cloudflare')

    fake.certificates.clear()
    fake.seed(expiringIn(300).pem, { name: 'renewed' })
    gitHub.requests.length = 0
    const clear = await withIssue()
    expect(clear.exitCode).toBe(0)
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(issue?.comments).toEqual([expect.stringContaining('No certificate is left that expires within 30 days')])
    expect(gitHub.issues[0]).toMatchObject({ state: 'open', comments: [] })
  })

  // docs/audit.md: found never by its title, "so people may edit the title".
  it('keeps a title a person edited, while the list is the same and when it changes', async () => {
    fake.seed(expiringIn(10).pem, { name: 'c' })
    await withIssue()
    const issue = gitHub.issues[0]
    expect(issue?.title).toBe('mTLS certificates expiring in Cloudflare')
    if (issue) issue.title = 'mTLS certificates expiring (owner: @platform-team, rotating Friday)'
    gitHub.requests.length = 0
    await withIssue()
    expect(gitHub.writes).toEqual([])
    fake.seed(expiringIn(5).pem, { name: 'd' })
    await withIssue()
    // The body only: a PATCH without a title leaves it as the person wrote it.
    expect(gitHub.writes.map((r) => r.body)).toEqual([{ body: expect.stringContaining('<code>d</code>') }])
    expect(issue?.title).toContain('rotating Friday')
  })

  it('is left alone when the audit fails, and a GitHub failure is only a warning', async () => {
    gitHub.add({ title: 'tracked', body: 'x', labels: ['mtls-certificate-expiry'] })
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: { kind: 'respond', status: 403, body: '{}' },
    })
    const failed = await withIssue({ 'max-retries': '0' })
    expect(failed.exitCode).toBe(1)
    expect(gitHub.requests).toEqual([])

    fake.seed(expiringIn(10).pem, { name: 'payments-client' })
    gitHub.failNext = 1
    const run = await withIssue()
    expect(run.exitCode).toBe(0)
    expect(run.outputs['expiring-count']).toBe('1')
    expect(warnings(run)).toEqual([
      expect.stringContaining('Certificate'),
      expect.stringMatching(
        /^The tracking issue could not be kept up to date: GitHub answered HTTP 500 \(Server Error\)\. The audit's result above stands/,
      ),
    ])
    expect(gitHub.writes).toEqual([])
  })

  it('warns when GitHub drops the label, as later runs could not find the issue', async () => {
    fake.seed(expiringIn(10).pem, { name: 'payments-client' })
    gitHub.dropLabels = true
    const run = await withIssue()
    expect(gitHub.issues).toHaveLength(1)
    expect(warnings(run)).toContainEqual(
      expect.stringContaining("was created without the label 'mtls-certificate-expiry'"),
    )
  })
})

describe('the audit names the consumers (issue 29)', () => {
  it('says who breaks: each Worker version, dispatch script, Pages project and Hyperdrive config using an expiring certificate', async () => {
    const expiring = fake.seed(expiringIn(5).pem, { name: 'payments-client', inUseBy: ['gateway'] })
    fake.estate.deployVersions('payments-production', [
      { certificates: { PAYMENTS_CERT: expiring.id }, percentage: 100 },
    ])
    fake.estate.dispatchScript('customers', 'acme', { ACME_CERT: expiring.id })
    fake.estate.pagesProjects.set('shop', { preview: { SHOP_CERT: expiring.id } })
    fake.estate.hyperdriveConfigs.set('h1', { name: 'orders-db', mtls: { mtls_certificate_id: expiring.id } })
    const run = await audit({ 'fail-days': '0' })
    expect(run.exitCode).toBe(0)
    const inUse = [
      'Worker payments-production (PAYMENTS_CERT, 100 %)',
      'dispatch namespace customers, script acme (ACME_CERT)',
      'Pages project shop (preview, SHOP_CERT)',
      'Hyperdrive orders-db (client)',
      'gateway',
    ]
    const users = inUse.join(', ')
    expect(warnings(run)).toEqual([expect.stringContaining(`expires in 5 days`)])
    expect(warnings(run)[0]).toContain(`in use by ${users}.`)
    expect(run.summary).toContain(`<td>${users}</td>`)
    expect(JSON.parse(run.outputs.expiring ?? '')).toMatchObject([{ in_use: inUse }])
  })

  it('says once what its token may not read, and marks the users as leaving it out rather than "none"', async () => {
    fake.seed(expiringIn(5).pem, { name: 'payments-client' })
    fake.estate.forbidden.add('pages')
    fake.estate.forbidden.add('hyperdrive')
    const run = await audit({ 'fail-days': '0' })
    expect(run.exitCode).toBe(0)
    const unread = warnings(run).filter((w) => w.startsWith('The audit could not read every consumer'))
    expect(unread).toHaveLength(1)
    expect(unread[0]).toContain('"Account → Cloudflare Pages → Read", "Account → Hyperdrive → Read"')
    expect(run.summary).toContain('<td>none found (Pages projects, Hyperdrive configs not read)</td>')
  })
})
