import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import type { FakeGitHub } from '../support/fake-github.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, keyPem, type IssuedCertificate } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'

/**
 * The audit of the other two stores through its committed bundle, dist/audit/index.js: the account's
 * Access CAs, and the Authenticated Origin Pulls certificates of the zones in zone-ids, in the same
 * report, annotations and tracking issue as the account's own certificates.
 */

const DAY = 86_400_000
const GITHUB_TOKEN = 'ghs_fAk3TokenForTheStoresAudit0123456789'
const KEY = generateKey('ec')
const ROOT = issueCertificate({
  commonName: 'Stores Root',
  key: KEY,
  ca: true,
  notAfter: new Date(Date.now() + 3000 * DAY),
})

const expiringIn = (
  days: number,
  fields: { ca?: boolean; serverName?: string; commonName?: string } = {},
): IssuedCertificate =>
  issueCertificate({
    commonName: fields.commonName ?? `store-${days}`,
    key: KEY,
    issuer: ROOT,
    notBefore: new Date(Date.now() - 100 * DAY),
    notAfter: new Date(Date.now() + days * DAY - 3_600_000),
    ...(fields.ca ? { ca: true } : {}),
    ...(fields.serverName ? { serverName: fields.serverName } : {}),
  })

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))

const audit = (inputs: Record<string, string> = {}): Promise<ActionRun> =>
  runAction(
    { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, 'api-base-url': fake.url, ...inputs },
    { audit: true, env: { GITHUB_API_URL: gitHub.url } },
  )
const annotations = (run: ActionRun, level: string): string[] =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message)

describe('the audit of Access and Authenticated Origin Pulls', () => {
  it('lists Access CAs and the origin pull certificates of zone-ids with their hostnames, by the same thresholds and in the same issue', async () => {
    const access = fake.access.seed(expiringIn(5, { ca: true }).pem, {
      owner: `accounts/${ACCOUNT_ID}`,
      name: 'partners-ca',
      hostnames: ['app.example.com'],
    })
    const keyText = keyPem(KEY, 'pkcs8')
    const perHostname = fake.originPull.seed(
      ZONE_ID,
      'hostname',
      expiringIn(20, { serverName: 'origin-a.example.com' }).pem,
      keyText,
    )
    fake.originPull.assign(ZONE_ID, 'origin-a.example.com', perHostname.id)
    const zoneLevel = fake.originPull.seed(ZONE_ID, 'zone', expiringIn(200).pem, keyText)

    const run = await audit({ 'zone-ids': ZONE_ID, issue: 'true', 'github-token': GITHUB_TOKEN })

    expect(run.exitCode).toBe(1)
    const expiring = JSON.parse(run.outputs.expiring ?? '') as {
      id: string
      name: string
      days_left: number
      in_use: unknown
    }[]
    expect(expiring).toEqual([
      expect.objectContaining({
        id: access.id,
        name: 'partners-ca (Access)',
        days_left: 5,
        in_use: ['access app.example.com'],
      }),
      expect.objectContaining({
        id: perHostname.id,
        name: `origin pull, per hostname (zone ${ZONE_ID})`,
        days_left: 20,
        in_use: ['origin pull origin-a.example.com'],
      }),
    ])
    expect(run.outputs.total).toBe('3')
    expect(annotations(run, 'error').join('\n')).toContain("'partners-ca (Access)'")
    expect(annotations(run, 'warning').join('\n')).toContain('origin pull origin-a.example.com')
    expect(run.summary).toContain(zoneLevel.id)
    expect(run.summary).toContain('partners-ca (Access)')
    expect(gitHub.issues).toHaveLength(1)
    expect(gitHub.issues[0]?.body).toContain('partners-ca (Access)')
    expect(gitHub.issues[0]?.body).toContain(perHostname.id)
    // Reads only, and the key of an origin pull certificate nowhere.
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(leakedSecrets(run, [API_TOKEN, GITHUB_TOKEN, keyText.split('\n')[1] ?? ''])).toEqual([])
  })

  it('does not call a per-hostname origin pull certificate unused when none of the names it carries points at it', async () => {
    // A client certificate rarely names the hostnames it is assigned to: Cloudflare lists no assignments,
    // so the audit cannot tell which hostnames use it, and must not say "not in use" (an invitation to delete it).
    const assigned = fake.originPull.seed(
      ZONE_ID,
      'hostname',
      expiringIn(10, { commonName: 'origin-client' }).pem,
      keyPem(KEY, 'pkcs8'),
    )
    fake.originPull.assign(ZONE_ID, 'origin.example.com', assigned.id)

    const run = await audit({ 'zone-ids': ZONE_ID })

    const expiring = JSON.parse(run.outputs.expiring ?? '') as { id: string; in_use: unknown }[]
    expect(expiring).toEqual([expect.objectContaining({ id: assigned.id, in_use: ['origin pull, hostnames unknown'] })])
    const warnings = annotations(run, 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('origin pull, per hostname')
    expect(warnings[0]).toContain('in use by origin pull, hostnames unknown')
    expect(warnings[0]).not.toContain('not in use')
  })

  it('warns and goes on when the Access certificates cannot be read; refuses a zone-ids entry that is not a Zone ID before any request', async () => {
    fake.inject({
      method: 'GET',
      pathSuffix: '/access/certificates',
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
    })
    const run = await audit()
    expect(run.exitCode).toBe(0)
    expect(annotations(run, 'warning').join('\n')).toContain('Could not read the Access certificates of the account')

    fake.requests.length = 0
    const bad = await audit({ 'zone-ids': `${ZONE_ID}, example.com` })
    expect(bad.exitCode).toBe(1)
    expect(annotations(bad, 'error').join('\n')).toContain("Input 'zone-ids': 'example.com' is not a Zone ID")
    expect(fake.requests).toEqual([])
  })
})
