import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare, RecordedRequest } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID, issuedEarlier, makeClient, makeWorkspace } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../test-kit/pki.ts'
import { mainStep } from '../support/steps.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'

/**
 * One pipeline (issue 27): a single certificate given as the step's inputs and the same certificate as
 * a one-entry manifest are the same spec, planned and applied by the same code, so they make the same
 * requests (method, path, query and body) and give the same plan, whatever the spec asks and in
 * whichever store (the account's, Access, origin pulls).
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

const NAME = 'payments-client'
const HOSTNAMES = ['api.example.com']

interface Case {
  /** The store: the account's, Access (a CA) or origin pulls (a leaf with its key). */
  store: 'mtls' | 'access' | 'origin-pull'
  ca: boolean
  replace: boolean
  dryRun: boolean
  /** An older certificate of the name in the account (replace's candidate), and our own already there. */
  older: boolean
  present: boolean
  wrangler: boolean
}

const cases: fc.Arbitrary<Case> = fc
  .record({
    store: fc.constantFrom('mtls' as const, 'access' as const, 'origin-pull' as const),
    ca: fc.boolean(),
    replace: fc.boolean(),
    dryRun: fc.boolean(),
    older: fc.boolean(),
    present: fc.boolean(),
    wrangler: fc.boolean(),
  })
  .map((c) => {
    // Access holds CAs and origin pulls leaves; Worker bindings are the account store's.
    const ca = c.store === 'mtls' ? c.ca : c.store === 'access'
    return { ...c, ca, wrangler: c.wrangler && !ca && c.store === 'mtls' }
  })

const TOML = `name = "payments"\nmain = "index.js"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\ncertificate_id = "00000000-0000-0000-0000-000000000000"\n`

/** What the stand-in received, as comparable text: method, path, query and body. */
const requests = (list: readonly RecordedRequest[]): string[] =>
  list.map((r) => `${r.method} ${r.path}${r.query} ${r.body}`)

/** One certificate of each kind, the same for both runs of a case. */
interface Certificates {
  leaf: ReturnType<typeof makeClient>
  ca: ReturnType<typeof issueCertificate>
  older: string
}

async function run(
  c: Case,
  as: 'inputs' | 'manifest',
  { leaf, ca, older: olderPem }: Certificates,
): Promise<{ requests: string[]; plan: string; code: number }> {
  fake.reset()
  // An older Access CA holds the hostnames: the new one takes them beside it (make before break).
  fake.access.refuseSharedHostnames = false
  const pem = c.ca ? ca.pem : leaf.client.pem
  seedOlder(c, pem, olderPem, leaf.keyPem)
  const workspace = makeWorkspace({ 'certs/cert.pem': pem, 'wrangler.toml': TOML, 'index.js': '' })
  const common = {
    'account-id': ACCOUNT_ID,
    'api-token': API_TOKEN,
    'api-base-url': fake.url,
    'dry-run': String(c.dryRun),
    'replace-when': 'immediately',
  }
  const env = c.ca ? {} : { CLIENT_KEY: leaf.keyPem }
  const inputs =
    as === 'inputs'
      ? {
          ...common,
          'certificate-path': 'certs/cert.pem',
          ...(c.store === 'mtls' ? { ca: String(c.ca) } : { store: c.store }),
          name: NAME,
          replace: String(c.replace),
          ...(c.store === 'access' ? { hostnames: HOSTNAMES.join('\n') } : {}),
          ...(c.store === 'origin-pull'
            ? { 'zone-id': ZONE_ID, hostnames: HOSTNAMES.join('\n'), 'private-key': leaf.keyPem }
            : {}),
          ...(c.store === 'mtls' && c.ca ? { 'zone-id': ZONE_ID, hostnames: HOSTNAMES.join('\n') } : {}),
          ...(c.store === 'mtls' && !c.ca ? { 'private-key': leaf.keyPem } : {}),
          ...(c.wrangler ? { 'wrangler-config': 'wrangler.toml', binding: 'PAYMENTS_CERT' } : {}),
        }
      : { ...common, manifest: 'certificates.yml' }
  if (as === 'manifest') {
    const lines = [
      'version: 1',
      'certificates:',
      `  - name: ${NAME}`,
      '    certificate: certs/cert.pem',
      c.store === 'mtls' ? `    ca: ${c.ca}` : `    store: ${c.store}`,
      `    replace: ${c.replace}`,
      ...(c.store !== 'access' && !(c.store === 'mtls' && c.ca) ? ['    private-key-env: CLIENT_KEY'] : []),
      ...(c.store !== 'access' && (c.store === 'origin-pull' || c.ca) ? [`    zone-id: ${ZONE_ID}`] : []),
      ...(c.store !== 'mtls' || c.ca ? [`    hostnames: [${HOSTNAMES.join(', ')}]`] : []),
      ...(c.wrangler ? ['    wrangler:', '      - { config: wrangler.toml, binding: PAYMENTS_CERT }'] : []),
    ]
    writeFileSync(join(workspace, 'certificates.yml'), `${lines.join('\n')}\n`)
  }
  const done = await mainStep(inputs, { workspace, env })
  return { requests: requests(fake.requests), plan: done.outputs.plan ?? '', code: done.exitCode ?? -1 }
}

/** An older certificate of the entry's (replace's candidate) and its own already there, in its store. */
function seedOlder(c: Case, pem: string, olderPem: string, key: string): void {
  if (c.store === 'access') {
    // Cloudflare letting a hostname have two CAs for the move (the refusal is access-store.test.ts's).
    fake.access.refuseSharedHostnames = false
    const owner = `accounts/${ACCOUNT_ID}`
    if (c.older) fake.access.seed(olderPem, { owner, name: NAME, hostnames: HOSTNAMES })
    if (c.present) fake.access.seed(pem, { owner, name: NAME, hostnames: c.older ? [] : HOSTNAMES })
    return
  }
  if (c.store === 'origin-pull') {
    const older = c.older ? fake.originPull.seed(ZONE_ID, 'hostname', olderPem, key) : undefined
    const present = c.present ? fake.originPull.seed(ZONE_ID, 'hostname', pem, key) : undefined
    const assigned = older ?? present
    for (const hostname of assigned ? HOSTNAMES : []) fake.originPull.assign(ZONE_ID, hostname, assigned?.id ?? '')
    return
  }
  const older = { name: NAME, ca: c.ca, uploadedOn: '2025-01-01T00:00:00Z', id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' }
  if (c.older) fake.seed(olderPem, older)
  if (c.present) fake.seed(pem, { name: NAME, ca: c.ca, id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })
}

describe('one pipeline for one certificate or many', () => {
  it('makes the same requests and the same plan for the inputs and for the same one-entry manifest', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const certificates = {
          leaf: makeClient('ec'),
          ca: issueCertificate({ commonName: 'Clients CA', key: generateKey('ec'), ca: true }),
          older: issuedEarlier(),
        }
        const single = await run(c, 'inputs', certificates)
        const manifest = await run(c, 'manifest', certificates)
        expect(manifest.code).toBe(single.code)
        expect(single.code).toBe(0)
        expect(single.requests.length).toBeGreaterThan(0)
        // Ids Cloudflare makes differ between the two runs; everything else is the same.
        const ids = (texts: string[]) =>
          texts.map((t) =>
            t
              .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
              .replace(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g, (hex) =>
                hex === ZONE_ID || hex === ACCOUNT_ID ? hex : '<id>',
              ),
          )
        expect(ids(manifest.requests)).toEqual(ids(single.requests))
        expect(ids([manifest.plan])).toEqual(ids([single.plan]))
      }),
      { numRuns: 12 },
    )
  })
})
