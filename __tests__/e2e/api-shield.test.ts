import { describe, expect, it } from 'vitest'
import { errorAnswer, type FakeCloudflare, type RecordedRequest } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, ZONE_ID, clientInputs, makeClient } from '../../test-kit/fixtures.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep, postStep } from '../support/steps.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'

/**
 * API Shield CA rotation through dist/ against the stand-in: the new CA attached to the zone's
 * hostnames (read, merge, write), the old one released and retired by replace, dry runs, failures.
 */

let fake: FakeCloudflare
const NAME = 'api-shield-ca'
const LAST_YEAR = '2025-11-01T00:00:00Z'
const API = 'api.example.com'
const PARTNER = 'partner.example.com'

useStandIn((started) => (fake = started))

const newCa = (): string => makeClient('ec').ca.pem
const LEAF = makeClient('ec')
/** An older CA of the same name, attached to these hostnames in the zone. */
function olderCa(hostnames: string[]): string {
  const old = fake.seed(newCa(), { name: NAME, ca: true, uploadedOn: LAST_YEAR })
  fake.attach(ZONE_ID, old.id, hostnames)
  return old.id
}

function caInputs(certificate: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'account-id': ACCOUNT_ID,
    'api-token': API_TOKEN,
    'api-base-url': fake.url,
    certificate,
    ca: 'true',
    name: NAME,
    'zone-id': ZONE_ID,
    hostnames: API,
    ...extra,
  }
}

const isZoneRequest = (request: RecordedRequest): boolean => request.path.includes('/zones/')
const zoneRequests = (): RecordedRequest[] => fake.requests.filter(isZoneRequest)
/** The CA a zone request names: in the query of a GET, in the body of a PUT. */
const namedCa = (request: RecordedRequest): string | undefined =>
  request.method === 'GET'
    ? (new URLSearchParams(request.query).get('mtls_certificate_id') ?? undefined)
    : (request.json as { mtls_certificate_id?: string } | undefined)?.mtls_certificate_id
/** The zone calls, in order: `GET <ca>` and `PUT <ca> <hostnames>`. */
const zoneCalls = (): string[] =>
  zoneRequests().map((r) =>
    r.method === 'GET'
      ? `GET ${namedCa(r) ?? '(none)'}`
      : `PUT ${namedCa(r) ?? '(none)'} ${((r.json as { hostnames?: string[] }).hostnames ?? []).join(',')}`,
  )
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const hostnamesOutput = (run: ActionRun): unknown => JSON.parse(run.outputs.hostnames ?? 'null')

/**
 * A step, checked for what must hold in every run: no secret visible anywhere (debug logging is on),
 * and no zone request that does not name its CA (which would act on the zone's managed CA).
 */
async function step(run: Promise<ActionRun>, exitCode = 0): Promise<ActionRun> {
  const done = await run
  expect(leakedSecrets(done, [API_TOKEN, LEAF.keyPem])).toEqual([])
  expect(zoneRequests().filter((request) => !namedCa(request))).toEqual([])
  if (exitCode === 0) expect(errors(done)).toEqual([])
  expect(done.exitCode).toBe(exitCode)
  return done
}

describe('attaching the new CA', () => {
  it('uploads the CA, then reads its hostnames and writes the given ones', async () => {
    const run = await step(mainStep(caInputs(newCa(), { hostnames: `${API}\n*.Internal.example.com` })))
    const id = run.outputs['certificate-id'] ?? ''
    expect(run.outputs.created).toBe('true')
    // Read, merge, write, and read back: what Cloudflare holds after the write is what counts.
    expect(zoneCalls()).toEqual([`GET ${id}`, `PUT ${id} ${API},*.internal.example.com`, `GET ${id}`])
    expect(fake.hostnamesOf(ZONE_ID, id)).toEqual([API, '*.internal.example.com'])
    expect(hostnamesOutput(run)).toEqual([API, '*.internal.example.com'])
    expect(run.summary).toMatch(/<h3>API Shield hostnames in zone <code>9a78[0-9a-f]+<\/code><\/h3>/)
    expect(run.summary).toMatch(new RegExp(`<code>${API.replace(/\./g, '\\.')}</code></td><td>attached`))
  })

  it('merges: the hostnames the CA already has are kept', async () => {
    const pem = newCa()
    const existing = fake.seed(pem, { name: NAME, ca: true })
    fake.attach(ZONE_ID, existing.id, ['legacy.example.com'])
    const run = await step(mainStep(caInputs(pem)))
    expect(run.outputs.created).toBe('false')
    expect(zoneCalls()).toEqual([
      `GET ${existing.id}`,
      `PUT ${existing.id} legacy.example.com,${API}`,
      `GET ${existing.id}`,
    ])
    expect(hostnamesOutput(run)).toEqual(['legacy.example.com', API])
  })

  it('writes nothing on a re-run', async () => {
    const pem = newCa()
    const first = await step(mainStep(caInputs(pem)))
    fake.requests.length = 0
    const again = await step(mainStep(caInputs(pem)))
    expect(again.outputs['certificate-id']).toBe(first.outputs['certificate-id'])
    expect(fake.requests.filter((r) => r.method !== 'GET' && r.method !== 'POST')).toEqual([])
    expect(zoneCalls()).toEqual([`GET ${first.outputs['certificate-id'] ?? ''}`])
    expect(hostnamesOutput(again)).toEqual([API])
    expect(again.summary).toMatch(/<td>already there/)
  })

  it('a CA without zone-id makes no zone request, and a leaf upload is still exactly one request', async () => {
    const ca = await step(mainStep(caInputs(newCa(), { 'zone-id': '', hostnames: '' })))
    expect(zoneRequests()).toEqual([])
    expect(hostnamesOutput(ca)).toEqual([])
    fake.requests.length = 0
    const leaf = await step(mainStep(clientInputs(fake, LEAF)))
    expect(leaf.outputs.created).toBe('true')
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /client/v4/accounts/${ACCOUNT_ID}/mtls_certificates`,
    ])
  })
})

describe('rotating the CA', () => {
  it('attaches the new CA in the main step, keeps both through the job, and retires the old one in the post step', async () => {
    const old = olderCa([API])
    const inputs = caInputs(newCa(), { replace: 'true' })
    const main = await step(runAction(inputs))
    const id = main.outputs['certificate-id'] ?? ''
    // During the job both CAs serve the hostname: clients move to certificates of the new CA.
    expect(fake.hostnamesOf(ZONE_ID, id)).toEqual([API])
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([API])
    expect(fake.certificates.has(old)).toBe(true)
    expect(JSON.parse(main.outputs['replace-candidates'] ?? '')).toEqual([old])

    const post = await step(runPostStep(inputs, main))
    expect(warnings(post)).toEqual([])
    expect(fake.hostnamesOf(ZONE_ID, id)).toEqual([API])
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([])
    expect(fake.certificates.has(old)).toBe(false)
    // Make before break: the new CA's write comes before the old CA's, and the delete after both.
    const writes = zoneCalls().filter((call) => call.startsWith('PUT'))
    expect(writes).toEqual([`PUT ${id} ${API}`, `PUT ${old} `])
    expect(post.log).toContain(old)
    expect(post.summary).toMatch(/detached/)
  })

  it('keeps the old CA where it serves a hostname this step was not given, with a warning naming it', async () => {
    const old = olderCa([API, PARTNER])
    const run = await step(mainStep(caInputs(newCa(), { replace: 'true', 'replace-when': 'immediately' })))
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([PARTNER])
    expect(fake.certificates.has(old)).toBe(true)
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(run.outputs['replaced-ids']).toBe('[]')
    expect(warnings(run)).toEqual([expect.stringContaining(PARTNER)])
    expect(warnings(run)[0]).toContain(old)
    expect(warnings(run)[0]).toContain('hostnames')
    expect(run.summary).toMatch(new RegExp(`<code>${PARTNER.replace(/\./g, '\\.')}</code></td><td>kept`))
  })

  it('waits, with backoff, while Cloudflare still reports the old CA in use after the detach, then deletes it', async () => {
    const old = olderCa([API])
    fake.associationLag = 2
    const run = await step(mainStep(caInputs(newCa(), { replace: 'true', 'replace-when': 'immediately' })))
    expect(fake.certificates.has(old)).toBe(false)
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([old])
    // Two reads still answer "in use", the third none; then the new CA's hostnames once more; only then the delete.
    const afterDetach = fake.requests.slice(fake.requests.findIndex((r) => r.method === 'PUT' && namedCa(r) === old))
    expect(afterDetach.map((r) => `${r.method} ${r.path.replace(/^.*\/mtls_certificates/, '')}`).slice(1)).toEqual([
      `GET /${old}/associations`,
      `GET /${old}/associations`,
      `GET /${old}/associations`,
      `GET /client/v4/zones/${ZONE_ID}/certificate_authorities/hostname_associations`,
      `DELETE /${old}`,
    ])
    expect(warnings(run)).toEqual([])
  })

  it('keeps the old CA with a warning when it is still reported in use once timeout-seconds is spent', async () => {
    const old = olderCa([API])
    fake.associationLag = 1000
    const run = await step(
      mainStep(caInputs(newCa(), { replace: 'true', 'replace-when': 'immediately', 'timeout-seconds': '3' })),
    )
    expect(fake.certificates.has(old)).toBe(true)
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([])
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(warnings(run)).toEqual([expect.stringContaining(old)])
    expect(warnings(run)[0]).toMatch(/in use/)
    expect(run.durationMs).toBeLessThan(10_000)
  })
})

describe('one CA rotated in two zones (two uses of the action in one job)', () => {
  const OTHER_ZONE = '0123456789abcdef0123456789abcdef'

  it("the first post step keeps the old CA at once, as in use elsewhere: the other zone's use is no detach lag", async () => {
    const old = olderCa([API])
    fake.attach(OTHER_ZONE, old, ['api.other.example'])
    // Were the other zone's use taken for the lag, the step would poll until timeout-seconds ran out.
    fake.associationLag = 1000
    const inputs = caInputs(newCa(), { replace: 'true', 'timeout-seconds': '60' })
    const main = await step(runAction(inputs))
    const post = await step(runPostStep(inputs, main))
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([])
    expect(fake.hostnamesOf(OTHER_ZONE, old)).toEqual(['api.other.example'])
    expect(fake.certificates.has(old)).toBe(true)
    expect(fake.requestsTo('DELETE')).toEqual([])
    // One read after the detach, no wait.
    const detach = fake.requests.findIndex((r) => r.method === 'PUT' && namedCa(r) === old)
    expect(fake.requests.slice(detach + 1).filter((r) => r.path.endsWith('/associations'))).toHaveLength(1)
    expect(post.durationMs).toBeLessThan(10_000)
    expect(warnings(post)).toEqual([expect.stringContaining(old)])
    expect(warnings(post)[0]).toContain(
      "in use elsewhere: api_shield (active) × 2, more than the 1 hostname detached here (another zone's hostnames)",
    )
    expect(post.summary).toContain('in use elsewhere')
  })
})

describe('a dry run', () => {
  it('writes nothing and reports what would be attached, detached and deleted', async () => {
    const old = olderCa([API])
    const pem = newCa()
    const run = await step(mainStep(caInputs(pem, { replace: 'true', 'dry-run': 'true' })))
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([API])
    expect(hostnamesOutput(run)).toEqual([API])
    expect(run.log).toMatch(new RegExp(`would attach ${API.replace(/\./g, '\\.')}`))
    expect(run.log).toMatch(/would detach/)
    expect(run.log).toContain(old)
    expect(run.summary).toMatch(/would attach/)
    expect(run.summary).toMatch(/would detach/)
    expect(run.summary).toMatch(/would delete/)
  })
})

describe('failures', () => {
  it.each([
    ['zone-id without hostnames', { hostnames: '' }, /^Input 'zone-id' needs hostnames, which is not set/],
    ['hostnames without zone-id', { 'zone-id': '' }, /^Input 'hostnames' needs zone-id, which is not set/],
    [
      'a leaf with zone-id',
      { ca: 'false', certificate: LEAF.client.pem, 'private-key': LEAF.keyPem },
      /^Input 'zone-id' is only for a CA certificate \(ca: true\)/,
    ],
    [
      'a hostname with a scheme',
      { hostnames: `https://${API}` },
      /^Input 'hostnames': 'https:\/\/api\.example\.com' has a scheme/,
    ],
    ['a zone name for zone-id', { 'zone-id': 'example.com' }, /^Input 'zone-id' must be 32 hexadecimal characters/],
  ])('refuses %s before any request', async (_case, extra, message) => {
    const run = await step(mainStep(caInputs(newCa(), extra)), 1)
    expect(errors(run)).toEqual([expect.stringMatching(message)])
    expect(fake.requests).toEqual([])
    expect(run.log).not.toMatch(/\n\s+at /)
  })

  it('names the zone permission when the zone call is refused, still sets certificate-id, and a re-run finishes', async () => {
    fake.inject({
      method: 'PUT',
      pathSuffix: '/hostname_associations',
      fault: errorAnswer(403, [{ code: 10000, message: 'Authentication error' }]),
    })
    const pem = newCa()
    const old = olderCa([API])
    const inputs = caInputs(pem, { replace: 'true', 'replace-when': 'immediately' })
    const failed = await step(mainStep(inputs), 1)
    const id = failed.outputs['certificate-id'] ?? ''
    expect(id).toMatch(/^[0-9a-f-]{32,36}$/)
    expect(fake.certificates.has(id)).toBe(true)
    expect(errors(failed)).toEqual([expect.stringContaining('"Zone → SSL and Certificates → Edit"')])
    expect(errors(failed)[0]).toContain(ZONE_ID)
    expect(errors(failed)[0]).toContain(id)
    // The old CA is never released before the new one is attached.
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([API])
    expect(fake.certificates.has(old)).toBe(true)

    const rerun = await step(mainStep(inputs))
    expect(rerun.outputs['certificate-id']).toBe(id)
    expect(rerun.outputs.created).toBe('false')
    expect(fake.hostnamesOf(ZONE_ID, id)).toEqual([API])
    expect(fake.certificates.has(old)).toBe(false)
  })

  it('in the post step, a refused zone read is a warning, and the old CA is left as it was', async () => {
    const old = olderCa([API])
    const inputs = caInputs(newCa(), { replace: 'true' })
    const main = await step(mainStep(inputs))
    fake.inject({
      method: 'GET',
      pathSuffix: '/hostname_associations',
      fault: errorAnswer(403, [{ code: 10000, message: 'Authentication error' }]),
    })
    const post = await step(postStep(inputs, main))
    expect(warnings(post)).toEqual([expect.stringContaining('"Zone → SSL and Certificates → Edit"')])
    expect(fake.hostnamesOf(ZONE_ID, old)).toEqual([API])
    expect(fake.certificates.has(old)).toBe(true)
    expect(fake.requestsTo('DELETE')).toEqual([])
  })

  it('points at zone-id for a zone the account does not hold', async () => {
    const run = await step(mainStep(caInputs(newCa(), { 'zone-id': 'f'.repeat(32) })), 1)
    expect(errors(run)).toEqual([expect.stringContaining('Check zone-id')])
    expect(run.outputs['certificate-id']).toMatch(/^[0-9a-f-]{32,36}$/)
  })
})

describe('the stand-in', () => {
  it('checks zone requests against the OpenAPI excerpt, certificate ids as UUIDs or 32 hex digits', async () => {
    const url = `${fake.url}/zones/${ZONE_ID}/certificate_authorities/hostname_associations`
    const headers = { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }
    const put = (body: unknown) => fetch(url, { method: 'PUT', headers, body: JSON.stringify(body) })
    expect((await put({ hostnames: API, mtls_certificate_id: 'not-an-id' })).status).toBe(400)
    expect((await fetch(`${url}?mtls_certificate_id=abc&x=1`, { headers })).status).toBe(400)
    expect(fake.specViolations).toEqual([
      expect.stringMatching(/^PUT .*: body\.hostnames must be an array$/),
      expect.stringMatching(/^PUT .*: body\.mtls_certificate_id must be a UUID or 32 hex digits$/),
      expect.stringMatching(/^GET .*: mtls_certificate_id must be a UUID or 32 hex digits$/),
      expect.stringMatching(/^GET .*: query parameter x is not in the operation$/),
    ])
    fake.specViolations.length = 0
    const ca = fake.seed(newCa(), { ca: true, id: '5d7e6c2a-9f1b-4c3d-8e2f-0a1b2c3d4e5f' })
    expect((await put({ hostnames: [API], mtls_certificate_id: ca.id })).status).toBe(200)
    expect(fake.hostnamesOf(ZONE_ID, ca.id)).toEqual([API])
    expect(fake.specViolations).toEqual([])
  })
})
