import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import type { HttpRequest, HttpResponse } from '../../../../src/cloudflare/http.ts'
import { OperationError } from '../../../../src/core/errors.ts'
import type { OriginPullStep } from '../../../../src/origin-pull/plan.ts'
import { NEW_CERTIFICATE, type EntryPlan, type Step } from '../../../../src/plan/step.ts'
import type { ApplyState, TargetContext } from '../../../../src/plan/target.ts'
import type {
  OriginPullDone,
  OriginPullPlaceData,
  OriginPullRetireData,
} from '../../../../src/targets/origin-pull/data.ts'
import { originPullStore } from '../../../../src/targets/origin-pull/index.ts'
import { ZONE_ID, makeClient } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, failure, fakeApi, success } from '../../fakes.ts'

const fixture = makeClient()
const older = makeClient()
const OLD = '0123456789abcdef0123456789abcdef'
const HOST = 'a.example.com'
const ROOT = `${BASE_URL}/zones/${ZONE_ID}/origin_tls_client_auth`
/** A line from the middle of the key's PEM: found in any text that holds the key. */
const KEY_LINE = fixture.keyPem.split('\n')[1] ?? 'missing'

interface Stored {
  id: string
  status: string
  certificate: string
}
interface Assignment {
  hostname: string
  cert_id: string
  status: string
  enabled: boolean | null
}

/**
 * A zone's origin pulls in memory: zone-level and per-hostname certificates, and assignments. What is
 * uploaded or pointed at reads `pending_deployment` once, then `active` (or `deployAs`, to time out).
 */
class FakeOriginPull {
  readonly zone: Stored[] = []
  readonly perHostname: Stored[] = []
  readonly assignments = new Map<string, Assignment>()
  readonly requests: HttpRequest[] = []
  enabled = true
  deployAs = 'active'
  private next = 1

  readonly send = (request: HttpRequest): Promise<HttpResponse> => {
    this.requests.push(request)
    const path = request.url.startsWith(ROOT) ? request.url.slice(ROOT.length) : undefined
    const body = JSON.parse(request.body ?? '{}') as Record<string, unknown>
    const answer = (result: unknown) => Promise.resolve(success(result))
    const notFound = () => Promise.resolve(failure(404, [{ code: 1404, message: 'not found' }]))
    if (path === undefined) return notFound()
    if (path === '/settings') return answer({ enabled: this.enabled })
    if (path === '/hostnames' && request.method === 'PUT') {
      const config = body.config as { hostname: string; cert_id: string; enabled: boolean | null }[]
      for (const c of config) this.assignments.set(c.hostname, { ...c, status: 'pending_deployment' })
      return answer(config.map((c) => this.assignments.get(c.hostname)))
    }
    const list = path.startsWith('/hostnames/certificates') ? this.perHostname : this.zone
    const rest = path.replace(/^\/hostnames\/certificates/, '')
    if (rest === '' && request.method === 'GET')
      return answer(list.map(({ id, status, certificate }) => ({ id, status, certificate })))
    if (rest === '' && request.method === 'POST') {
      const id = `${String(this.next++).padStart(2, '0')}${'a'.repeat(30)}`
      list.push({ id, status: 'pending_deployment', certificate: body.certificate as string })
      return answer({ id, status: 'pending_deployment' })
    }
    if (list === this.zone && path.startsWith('/hostnames/')) {
      const assignment = this.assignments.get(decodeURIComponent(path.slice('/hostnames/'.length)))
      if (!assignment) return notFound()
      const read = { ...assignment }
      if (assignment.status === 'pending_deployment') assignment.status = this.deployAs
      return answer(read)
    }
    const found = list.find((c) => `/${c.id}` === rest)
    if (!found) return notFound()
    if (request.method === 'DELETE') {
      list.splice(list.indexOf(found), 1)
      return answer({ id: found.id })
    }
    const read = { ...found }
    if (found.status === 'pending_deployment') found.status = this.deployAs
    return answer(read)
  }

  calls = (): string[] => this.requests.map((r) => `${r.method} ${r.url.slice(ROOT.length) || '/'}`)
}

function setup(replaceWhen: TargetContext['replaceWhen'] = 'end-of-job') {
  const fake = new FakeOriginPull()
  const { api } = fakeApi(fake.send, { maxRetries: 0 })
  return { fake, context: { api, now: new Date(), replaceWhen } as TargetContext }
}

const leaf = new X509Certificate(fixture.client.pem)
const entry = (hostnames: string[] = [HOST], spec: Partial<CertificateSpec> = {}): EntryPlan => ({
  name: 'origin',
  steps: [],
  spec: {
    store: 'origin-pull',
    storeScope: { zoneId: ZONE_ID, hostnames },
    certificate: { text: fixture.client.pem, input: 'certificate' },
    privateKey: { text: fixture.keyPem, input: 'private-key' },
    ca: false,
    allowMissingKey: false,
    replace: true,
    name: 'origin',
    ...spec,
  },
  checked: {
    leaf,
    chain: [leaf],
    certificatesPem: fixture.client.pem,
    privateKeyPem: fixture.keyPem,
    facts: { expiresOn: 'x' },
  } as CheckedCertificate,
})

async function placed(context: TargetContext, e: EntryPlan = entry()): Promise<Step<OriginPullPlaceData>> {
  return originPullStore.place(e, context, await originPullStore.observe(e, context))
}
/** The placement's steps, then its move's, in the order apply runs them. */
const stepsOf = (place: Step<OriginPullPlaceData>): OriginPullStep[] => [...place.data.steps, ...place.data.moves.steps]
const actions = (steps: readonly OriginPullStep[]): string[] => steps.map((s) => s.action)

/** A zone whose hostname is served by an older per-hostname certificate. */
function servedByOld(fake: FakeOriginPull): void {
  fake.perHostname.push({ id: OLD, status: 'active', certificate: older.client.pem })
  fake.assignments.set(HOST, { hostname: HOST, cert_id: OLD, status: 'active', enabled: true })
}

describe('the origin pull store: observe and place', () => {
  it('per hostname: reads the certificates and each hostname, then plans upload, point, wait; the retire later', async () => {
    const { fake, context } = setup()
    servedByOld(fake)
    const place = await placed(context)
    expect(fake.calls()).toEqual(['GET /hostnames/certificates', `GET /hostnames/${HOST}`])
    expect(place).toEqual({
      target: 'origin-pull',
      action: 'place',
      when: 'now',
      data: {
        zoneId: ZONE_ID,
        hostnames: [HOST],
        steps: [{ action: 'upload' }],
        moves: {
          zoneId: ZONE_ID,
          hostnames: [HOST],
          steps: [
            { action: 'attach', hostnames: [HOST], from: [{ hostname: HOST, id: OLD }] },
            { action: 'wait', hostnames: [HOST] },
          ],
        },
        later: [{ action: 'retire', id: OLD, reason: `it served ${HOST}` }],
        notes: [],
      },
    })
    expect(originPullStore.moves(entry(), place)).toEqual([
      { target: 'origin-pull', action: 'move', when: 'now', data: place.data.moves },
    ])
    expect(originPullStore.certificateOf(place)).toBe(NEW_CERTIFICATE)
    expect(originPullStore.retires(entry(), place)).toBe(true)
  })

  it('zone-level: retires only what was active before, and says when zone-level pulls are off', async () => {
    const { fake, context } = setup()
    fake.zone.push({ id: OLD, status: 'active', certificate: older.client.pem })
    fake.zone.push({ id: 'f'.repeat(32), status: 'pending_deployment', certificate: older.ca.pem })
    fake.enabled = false
    const place = await placed(context, entry([]))
    expect(fake.calls()).toEqual(['GET /', 'GET /settings'])
    expect(actions(stepsOf(place))).toEqual(['upload', 'wait'])
    expect(place.data.later).toEqual([
      { action: 'retire', id: OLD, reason: 'it was the zone-level certificate before' },
    ])
    expect(place.data.notes).toEqual([expect.stringMatching(/^Zone-level Authenticated Origin Pulls is off in zone/)])
  })

  it('reuses the certificate already there by content, with nothing to do when it serves already', async () => {
    const { fake, context } = setup()
    fake.perHostname.push({ id: OLD, status: 'active', certificate: fixture.client.pem })
    fake.assignments.set(HOST, { hostname: HOST, cert_id: OLD, status: 'active', enabled: true })
    const place = await placed(context)
    expect(place.data.steps).toEqual([{ action: 'reuse', id: OLD }])
    expect(place.data.later).toEqual([])
    expect(originPullStore.certificateOf(place)).toBe(OLD)
    expect(originPullStore.retires(entry(), place)).toBe(false)
  })

  it('with replace off, keeps the old certificate: the keep is a retire step of its own, not a note', async () => {
    const { fake, context } = setup()
    servedByOld(fake)
    const place = await placed(context, entry([HOST], { replace: false }))
    expect(place.data.later).toEqual([{ action: 'keep', id: OLD, reason: `it served ${HOST}; replace is off` }])
    expect(place.data.notes).toEqual([])
    expect(originPullStore.retire(entry(), place, [], context).when).toBe('now')
  })

  it('refuses a plan with problems (the zone full) in one error, before any write', async () => {
    const { fake, context } = setup()
    for (let n = 0; n < 10; n++)
      fake.perHostname.push({ id: `${n}`.repeat(32), status: 'active', certificate: older.client.pem })
    await expect(placed(context)).rejects.toThrow(OperationError)
    await expect(placed(context)).rejects.toThrow(/Cloudflare's limit of 10: .*delete one no hostname uses\.$/)
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true)
  })
})

describe('the origin pull store: retire', () => {
  it('waits for the end of the job only when it deletes and replace-when is end-of-job', async () => {
    const { fake, context } = setup()
    servedByOld(fake)
    const place = await placed(context)
    const retire = originPullStore.retire(entry(), place, [], context)
    expect(retire).toEqual({
      target: 'origin-pull',
      action: 'retire',
      when: 'end-of-job',
      data: { zoneId: ZONE_ID, hostnames: [HOST], rotation: { name: 'origin' }, steps: place.data.later },
    })
    expect(originPullStore.retire(entry(), place, [], { ...context, replaceWhen: 'immediately' }).when).toBe('now')
    expect(await originPullStore.forecast(retire, place, context)).toBe(retire)
  })

  it('never puts the key into a step', async () => {
    const { fake, context } = setup()
    servedByOld(fake)
    const place = await placed(context)
    const retire = originPullStore.retire(entry(), place, [], context)
    expect(JSON.stringify([place, retire])).not.toContain(KEY_LINE)
    const zoneLevel = await placed(setup().context, entry([]))
    expect(JSON.stringify(zoneLevel)).not.toContain(KEY_LINE)
  })
})

describe('the origin pull store: what other entries of the zone point at', () => {
  it("keeps the old certificate while another entry's hostname points at it, and saves those hostnames for the post step", async () => {
    const { fake, context } = setup('immediately')
    servedByOld(fake)
    // Another entry of the manifest in the zone, whose hostname the old certificate serves too.
    fake.assignments.set('b.example.com', { hostname: 'b.example.com', cert_id: OLD, status: 'active', enabled: true })
    await originPullStore.observe(entry(['b.example.com'], { name: 'other' }), context)
    const e = entry()
    const place = await placed(context, e)
    const state: ApplyState & { outcomes: unknown[] } = { outcomes: [] }
    await originPullStore.apply(place, e, state, context)
    const [move] = originPullStore.moves(e, place)
    if (!move) throw new Error('no move planned')
    await originPullStore.apply(move, e, state, context)
    const retired = (await originPullStore.apply(
      originPullStore.retire(e, place, [], context),
      e,
      state,
      context,
    )) as OriginPullDone
    expect(retired.deleted).toEqual([])
    expect(retired.warnings).toEqual([
      expect.stringMatching(
        /^Origin pull certificate 0123456789abcdef0123456789abcdef was kept: b\.example\.com still read/,
      ),
    ])
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(false)
    // At the end of the job, the saved step carries them, and reads as saved.
    const tail = originPullStore.tailOf(
      await originPullStore.apply(
        originPullStore.retire(e, place, [], { ...context, replaceWhen: 'end-of-job' }),
        e,
        state,
        { ...context, replaceWhen: 'end-of-job' },
      ),
    )
    expect(tail?.data.others).toBeUndefined() // another context: its entries are its own
    const sameContext = originPullStore.retire(e, place, [], context)
    const saved = originPullStore.tailOf(
      await originPullStore.apply({ ...sameContext, when: 'end-of-job' }, e, state, context),
    )
    expect(saved?.data.others).toEqual(['b.example.com'])
    expect(originPullStore.savedProblem(JSON.parse(JSON.stringify(saved)) as Record<string, unknown>)).toBeUndefined()
    expect(originPullStore.savedProblem({ ...saved, data: { ...saved?.data, others: ['../x'] } })).toBe(
      "its other entries' hostnames are not hostnames",
    )
  })
})

describe('the origin pull store: apply and finish', () => {
  async function rotate(replaceWhen: TargetContext['replaceWhen'], hostnames = [HOST]) {
    const { fake, context } = setup(replaceWhen)
    if (hostnames.length > 0) servedByOld(fake)
    else fake.zone.push({ id: OLD, status: 'active', certificate: older.client.pem })
    const e = entry(hostnames)
    const place = await placed(context, e)
    const state: ApplyState & { outcomes: unknown[] } = { outcomes: [] }
    const done = (await originPullStore.apply(place, e, state, context)) as OriginPullDone
    const [move] = originPullStore.moves(e, place)
    if (!move) throw new Error('no move planned')
    const moved = (await originPullStore.apply(move, e, state, context)) as OriginPullDone
    const retire = originPullStore.retire(e, place, [], context)
    return { fake, context, e, place, move, state, done, moved, retire }
  }

  it('per hostname: uploads with the key, points the hostname, waits until active; the key in the upload alone', async () => {
    const { fake, state, done, moved } = await rotate('end-of-job')
    const id = state.placed?.certificate.id ?? 'none'
    expect(state.placed).toEqual({ certificate: { id }, created: true })
    expect(done).toMatchObject({ id, uploaded: true, deleted: [] })
    expect(moved).toMatchObject({ id, uploaded: false, deleted: [] })
    expect(fake.calls().slice(2)).toEqual([
      'POST /hostnames/certificates',
      'PUT /hostnames',
      `GET /hostnames/${HOST}`,
      `GET /hostnames/${HOST}`,
    ])
    expect(fake.requests.filter((r) => r.body?.includes(KEY_LINE)).map((r) => r.method)).toEqual(['POST'])
    expect(fake.assignments.get(HOST)).toMatchObject({ cert_id: id, status: 'active' })
    expect(JSON.stringify([done, moved])).not.toContain(KEY_LINE)
  })

  it('at the end of the job: a tail naming the placed certificate, then the post step deletes the old one only', async () => {
    const { fake, context, e, state, retire } = await rotate('end-of-job')
    const before = fake.requests.length
    const tail = originPullStore.tailOf(
      await originPullStore.apply(retire, e, state, context),
    ) as Step<OriginPullRetireData>
    expect(tail.data.rotation).toEqual({ name: 'origin', id: state.placed?.certificate.id })
    expect(fake.requests).toHaveLength(before)
    expect(JSON.stringify(tail)).not.toContain(KEY_LINE)
    expect(originPullStore.savedProblem(JSON.parse(JSON.stringify(tail)) as Record<string, unknown>)).toBeUndefined()
    const finished = (await originPullStore.finish(tail, context)) as OriginPullDone
    expect(finished.deleted).toEqual([OLD])
    expect(fake.calls().slice(before)).toEqual([`GET /hostnames/${HOST}`, `DELETE /hostnames/certificates/${OLD}`])
    expect(fake.perHostname.map((c) => c.id)).toEqual([state.placed?.certificate.id])
  })

  it('zone-level, immediately: upload, wait until active, then delete the older one in the main step', async () => {
    const { fake, context, e, state, retire } = await rotate('immediately', [])
    const id = state.placed?.certificate.id ?? 'none'
    expect(retire.when).toBe('now')
    const outcome = (await originPullStore.apply(retire, e, state, context)) as OriginPullDone
    expect(originPullStore.tailOf(outcome)).toBeUndefined()
    expect(outcome.deleted).toEqual([OLD])
    expect(fake.calls().slice(2)).toEqual(['POST /', `GET /${id}`, `GET /${id}`, `DELETE /${OLD}`])
    expect(fake.zone.map((c) => c.id)).toEqual([id])
  })

  it('never deletes the new certificate, even when a saved retire names it', async () => {
    const { fake, context, state, retire } = await rotate('end-of-job')
    const id = state.placed?.certificate.id ?? 'none'
    const own: Step<OriginPullRetireData> = {
      ...retire,
      data: { ...retire.data, rotation: { name: 'origin', id }, steps: [{ action: 'retire', id, reason: 'x' }] },
    }
    await expect(originPullStore.finish(own, context)).rejects.toThrow(
      `Refused to delete origin pull certificate ${id}: it is the one this entry uploads`,
    )
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(false)
    await expect(originPullStore.finish(retire, context)).rejects.toThrow(
      'an origin pull retire without its certificate',
    )
  })

  it('fails the entry, naming the hostname, when the deployment times out; nothing is deleted', async () => {
    const { fake, context } = setup('immediately')
    servedByOld(fake)
    fake.deployAs = 'deployment_timed_out'
    const e = entry()
    const place = await placed(context, e)
    const state: ApplyState & { outcomes: unknown[] } = { outcomes: [] }
    await originPullStore.apply(place, e, state, context)
    const [move] = originPullStore.moves(e, place)
    if (!move) throw new Error('no move planned')
    await expect(originPullStore.apply(move, e, state, context)).rejects.toThrow(
      new RegExp(`for ${HOST} in zone ${ZONE_ID}: it reads deployment_timed_out`),
    )
    expect(fake.requests.some((r) => r.method === 'DELETE')).toBe(false)
    expect(fake.perHostname.map((c) => c.id)).toContain(OLD)
  })

  it('refuses a retire or a move before the placement, and a placement without its spec or key, sending nothing', async () => {
    const { fake, context, e, place, move, retire } = await rotate('immediately')
    const before = fake.requests.length
    await expect(originPullStore.apply(move, e, { outcomes: [] }, context)).rejects.toThrow(
      'an origin pull move ran before the certificate was placed',
    )
    await expect(originPullStore.apply(retire, e, { outcomes: [] }, context)).rejects.toThrow(
      'an origin pull retire ran before the certificate was placed',
    )
    await expect(originPullStore.apply(place, { name: 'o', steps: [] }, { outcomes: [] }, context)).rejects.toThrow(
      'an origin pull placement without its spec',
    )
    const keyless = { ...e, checked: { ...e.checked, privateKeyPem: undefined } }
    await expect(originPullStore.apply(place, keyless, { outcomes: [] }, context)).rejects.toThrow(
      'an origin pull certificate without its key',
    )
    expect(fake.requests).toHaveLength(before)
  })

  it('has no tail for an outcome without one, and reports by its own report', async () => {
    expect(originPullStore.tailOf(undefined)).toBeUndefined()
    const { done, moved, place, move, e } = await rotate('end-of-job')
    expect(originPullStore.tailOf(done)).toBeUndefined()
    expect(originPullStore.report(place, done, e, 'main').rows.map((r) => r.action)).toEqual(['upload'])
    expect(originPullStore.report(move, moved, e, 'main').rows.map((r) => [r.action, r.reason])).toEqual([
      ['attach', undefined],
      ['note', 'Cloudflare reads it active'],
    ])
  })
})
