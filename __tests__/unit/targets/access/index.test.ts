import { createHash, X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { AccessStep } from '../../../../src/access/plan.ts'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec, StoreScope } from '../../../../src/certificate/spec.ts'
import type { HttpRequest, HttpResponse } from '../../../../src/cloudflare/http.ts'
import { OperationError } from '../../../../src/core/errors.ts'
import { NEW_CERTIFICATE, type EntryPlan, type Step } from '../../../../src/plan/step.ts'
import type { ApplyState, TargetContext } from '../../../../src/plan/target.ts'
import type { AccessDone, AccessPlaceData, AccessRetireData } from '../../../../src/targets/access/data.ts'
import { accessStore } from '../../../../src/targets/access/index.ts'
import { ACCOUNT_ID, ZONE_ID, makeClient } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, failure, fakeApi, json, success } from '../../fakes.ts'

const CA = makeClient().ca
const OLD_CA = makeClient().ca
const OLD = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'
const HOSTS = ['app.example.com']

const md5Text = (pem: string): string =>
  `MD5 Fingerprint=${(createHash('md5').update(new X509Certificate(pem).raw).digest('hex').toUpperCase().match(/../g) ?? []).join(':')}`

interface Stored {
  id: string
  name: string
  associated_hostnames: string[]
  fingerprint: string
}

/** Access's CAs in memory, for the account and a zone: list, upload, set hostnames, read, delete. */
class FakeAccess {
  readonly stored = new Map<string, Stored[]>([
    [`accounts/${ACCOUNT_ID}`, []],
    [`zones/${ZONE_ID}`, []],
  ])
  readonly requests: HttpRequest[] = []
  private next = 1

  put(owner: string, pem: string, name: string, hostnames: string[], id = OLD): Stored {
    const certificate = { id, name, associated_hostnames: hostnames, fingerprint: md5Text(pem) }
    this.stored.get(owner)?.push(certificate)
    return certificate
  }

  readonly send = (request: HttpRequest): Promise<HttpResponse> => {
    this.requests.push(request)
    const match = /^\/(accounts|zones)\/([0-9a-f]+)\/access\/certificates(?:\/([^?]+))?/.exec(
      request.url.slice(BASE_URL.length),
    )
    const list = match ? this.stored.get(`${match[1]}/${match[2]}`) : undefined
    if (!match || !list) return Promise.resolve(failure(404, [{ code: 7003, message: 'No route' }]))
    const id = match[3]
    const found = list.find((c) => c.id === id)
    const body = JSON.parse(request.body ?? '{}') as Record<string, unknown>
    if (!id && request.method === 'GET') {
      const query = new URL(request.url).searchParams
      const [page, per] = [Number(query.get('page') ?? 1), Number(query.get('per_page') ?? 50)]
      const result = list.slice((page - 1) * per, page * per)
      return Promise.resolve(
        json(200, { success: true, errors: [], messages: [], result, result_info: { total_count: list.length } }),
      )
    }
    if (!id && request.method === 'POST') {
      const pem = body.certificate as string
      const hostnames = (body.associated_hostnames as string[] | undefined) ?? []
      const id = `0000000${this.next++}-2555-4acf-be5b-26c48136575e`
      return Promise.resolve(success(this.put(`${match[1]}/${match[2]}`, pem, body.name as string, hostnames, id)))
    }
    if (!found) return Promise.resolve(failure(404, [{ code: 12130, message: 'access.api.error.not_found' }]))
    if (request.method === 'GET') return Promise.resolve(success(found))
    if (request.method === 'PUT') {
      found.associated_hostnames = body.associated_hostnames as string[]
      return Promise.resolve(success(found))
    }
    list.splice(list.indexOf(found), 1)
    return Promise.resolve(success({ id }))
  }

  calls = (): string[] =>
    this.requests.map(
      (r) => `${r.method} ${r.url.slice(BASE_URL.length).replace(/\?.*/, '').split('/').slice(3).join('/')}`,
    )
}

function setup(replaceWhen: TargetContext['replaceWhen'] = 'end-of-job') {
  const fake = new FakeAccess()
  const { api } = fakeApi(fake.send, { maxRetries: 0 })
  const context = { api, now: new Date(), replaceWhen } as TargetContext
  return { fake, context }
}

const entry = (scope: Partial<StoreScope> = {}, spec: Partial<CertificateSpec> = {}, pem = CA.pem): EntryPlan => ({
  name: 'partners',
  steps: [],
  spec: {
    store: 'access',
    storeScope: { hostnames: HOSTS, ...scope },
    certificate: { text: pem, input: 'certificate' },
    ca: true,
    allowMissingKey: false,
    replace: true,
    name: 'partners-ca',
    ...spec,
  },
  checked: { certificatesPem: pem, facts: { expiresOn: 'x' } } as CheckedCertificate,
})

/** Observes and places one entry, as the pipeline does. */
async function placed(context: TargetContext, e: EntryPlan = entry()): Promise<Step<AccessPlaceData>> {
  return accessStore.place(e, context, await accessStore.observe(e, context))
}

const actions = (steps: readonly AccessStep[]): string[] => steps.map((s) => s.action)
/** The placement's steps, then its move's, in the order apply runs them. */
const stepsOf = (place: Step<AccessPlaceData>): AccessStep[] => [...place.data.steps, ...place.data.moves.steps]

describe('the Access store: observe', () => {
  it("lists an owner's CAs once for every entry of the step, and again for another owner or step", async () => {
    const { fake, context } = setup()
    fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', HOSTS)
    const [one, two] = await Promise.all([
      accessStore.observe(entry(), context),
      accessStore.observe(entry({ hostnames: ['b.example.com'] }, { name: 'b' }), context),
    ])
    expect(one).toEqual([expect.objectContaining({ id: OLD, associatedHostnames: HOSTS })])
    expect(two).toBe(one)
    expect(fake.calls()).toEqual(['GET access/certificates'])
    await accessStore.observe(entry({ zoneId: ZONE_ID }), context)
    expect(fake.requests.at(-1)?.url).toContain(`/zones/${ZONE_ID}/access/certificates`)
    await accessStore.observe(entry(), { ...context })
    expect(fake.requests).toHaveLength(3)
  })
})

describe('the Access store: place', () => {
  it('uploads a new CA with its hostnames when no CA holds them, and plans nothing to retire', async () => {
    const { context } = setup()
    const place = await placed(context)
    expect(place).toEqual({
      target: 'access',
      action: 'place',
      when: 'now',
      data: {
        owner: { accountId: ACCOUNT_ID },
        steps: [{ action: 'upload', name: 'partners-ca', hostnames: HOSTS }],
        moves: { owner: { accountId: ACCOUNT_ID }, steps: [] },
        later: [],
      },
    })
    // Nothing to move: the upload gives the CA its hostnames.
    expect(accessStore.moves(entry(), place)).toEqual([])
    expect(accessStore.certificateOf(place)).toBe(NEW_CERTIFICATE)
    expect(accessStore.retires(entry(), place)).toBe(false)
  })

  it('makes before it breaks: upload, attach to the new CA, then detach from the old; its retire later', async () => {
    const { fake, context } = setup()
    fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', HOSTS)
    const place = await placed(context)
    expect(actions(stepsOf(place))).toEqual(['upload', 'attach', 'detach'])
    expect(stepsOf(place)[2]).toMatchObject({ id: OLD, removed: HOSTS, keep: [], gap: false })
    expect(place.data.later).toEqual([{ action: 'retire', id: OLD, name: 'partners-ca', hostnames: HOSTS }])
    expect(place.data.moves).not.toHaveProperty('gap')
    expect(accessStore.retires(entry(), place)).toBe(true)
  })

  it('with swap: detach-first, detaches first and says the gap', async () => {
    const { fake, context } = setup()
    fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', HOSTS)
    const place = await placed(context, entry({ swap: 'detach-first' }))
    expect(actions(stepsOf(place))).toEqual(['upload', 'detach', 'attach'])
    expect(stepsOf(place)[1]).toMatchObject({ gap: true })
    expect(place.data.moves.gap).toMatch(/^swap: detach-first: 1 hostname \(app\.example\.com\) will have no Access CA/)
  })

  it('reuses the CA already there by content, planning later steps with its id', async () => {
    const { fake, context } = setup()
    fake.put(`accounts/${ACCOUNT_ID}`, CA.pem, 'renamed', HOSTS, 'b2134436-2555-4acf-be5b-26c48136575e')
    const place = await placed(context)
    expect(place.data.steps).toEqual([{ action: 'reuse', id: 'b2134436-2555-4acf-be5b-26c48136575e', name: 'renamed' }])
    expect(accessStore.certificateOf(place)).toBe('b2134436-2555-4acf-be5b-26c48136575e')
  })

  it('keeps an old CA that serves other hostnames too, or when replace is off: a retire step of keeps', async () => {
    const { fake, context } = setup()
    fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', [...HOSTS, 'other.example.com'])
    const place = await placed(context)
    expect(stepsOf(place).at(-1)).toMatchObject({ action: 'detach', keep: ['other.example.com'] })
    expect(place.data.later).toEqual([
      { action: 'keep', id: OLD, name: 'partners-ca', reason: 'it still serves other.example.com' },
    ])
    const { fake: f2, context: c2 } = setup()
    f2.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', HOSTS)
    const off = await placed(c2, entry({}, { replace: false }))
    expect(off.data.later).toEqual([{ action: 'keep', id: OLD, name: 'partners-ca', reason: 'replace is off' }])
    // Keeps delete nothing: the retire runs now, whatever replace-when says.
    expect(accessStore.retire(entry(), off, [], c2).when).toBe('now')
  })

  it('refuses a plan with problems before any write, every problem in one error', async () => {
    const { fake, context } = setup()
    for (let n = 0; n < 50; n++) fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, `ca-${n}`, [], `id-${n}`)
    const observed = await accessStore.observe(entry(), context)
    const full = (): unknown => accessStore.place(entry(), context, observed)
    expect(full).toThrow(OperationError)
    expect(full).toThrow(
      /holds 50 Access certificates, Cloudflare's limit of 50; delete one it no longer uses first\.$/,
    )
    const garbled = entry({}, {}, 'not a certificate')
    expect(() => accessStore.place(garbled, context, [])).toThrow(
      "Access CA 'partners-ca': its PEM holds no certificate that parses.",
    )
    expect(fake.calls()).toEqual(['GET access/certificates'])
  })
})

describe('the Access store: retire', () => {
  it('waits for the end of the job only when it deletes and replace-when is end-of-job', async () => {
    const { fake, context } = setup('end-of-job')
    fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', HOSTS)
    const place = await placed(context)
    const retire = accessStore.retire(entry(), place, [], context)
    expect(retire).toEqual({
      target: 'access',
      action: 'retire',
      when: 'end-of-job',
      data: { owner: { accountId: ACCOUNT_ID }, rotation: { name: 'partners-ca' }, steps: place.data.later },
    })
    expect(accessStore.retire(entry(), place, [], { ...context, replaceWhen: 'immediately' }).when).toBe('now')
  })

  it('forecasts the retire as planned, reading nothing', async () => {
    const { fake, context } = setup()
    const place = await placed(context)
    const retire = accessStore.retire(entry(), place, [], context)
    expect(await accessStore.forecast(retire, place, context)).toBe(retire)
    expect(fake.requests).toHaveLength(1)
  })
})

describe('the Access store: apply, finish', () => {
  async function rotate(replaceWhen: TargetContext['replaceWhen']) {
    const { fake, context } = setup(replaceWhen)
    fake.put(`accounts/${ACCOUNT_ID}`, OLD_CA.pem, 'partners-ca', HOSTS)
    const e = entry()
    const place = await placed(context, e)
    const state: ApplyState & { outcomes: unknown[] } = { outcomes: [] }
    const done = (await accessStore.apply(place, e, state, context)) as AccessDone
    const [move] = accessStore.moves(e, place)
    if (!move) throw new Error('no move planned')
    const moved = (await accessStore.apply(move, e, state, context)) as AccessDone
    const retire = accessStore.retire(e, place, [], context)
    return { fake, context, e, place, move, state, done, moved, retire }
  }

  it('places the new CA with the hostnames before the old one lets go, and says what it placed', async () => {
    const { fake, state, done, moved } = await rotate('end-of-job')
    const id = state.placed?.certificate.id
    expect(state.placed).toEqual({ certificate: { id }, created: true })
    expect(done).toMatchObject({ id, uploaded: true, retired: [] })
    expect(moved).toMatchObject({ id, uploaded: false })
    expect(moved.lines).toEqual([
      expect.stringMatching(/^Attached app\.example\.com to Access CA/),
      expect.stringMatching(/^Detached app\.example\.com from Access CA 'partners-ca'/),
    ])
    // The old CA read right before its detach: the list it keeps is what it holds then, less the entry's.
    expect(fake.calls().slice(1)).toEqual([
      'POST access/certificates',
      `PUT access/certificates/${id}`,
      `GET access/certificates/${OLD}`,
      `PUT access/certificates/${OLD}`,
    ])
    const [attach, detach] = fake.requests
      .filter((r) => r.method === 'PUT')
      .map((r) => JSON.parse(r.body ?? '{}') as unknown)
    expect(attach).toEqual({ associated_hostnames: HOSTS })
    expect(detach).toEqual({ associated_hostnames: [] })
  })

  it('at the end of the job: returns a tail naming the placed CA, and deletes nothing yet', async () => {
    const { fake, context, e, state, retire } = await rotate('end-of-job')
    const before = fake.requests.length
    const outcome = await accessStore.apply(retire, e, state, context)
    const tail = accessStore.tailOf(outcome) as Step<AccessRetireData>
    expect(tail).toEqual({
      ...retire,
      data: { ...retire.data, rotation: { name: 'partners-ca', id: state.placed?.certificate.id } },
    })
    expect(fake.requests).toHaveLength(before)
    // What the post step gets back reads as saved, and finishing it retires the old CA.
    expect(accessStore.savedProblem(JSON.parse(JSON.stringify(tail)) as Record<string, unknown>)).toBeUndefined()
    const finished = (await accessStore.finish(tail, context)) as AccessDone
    expect(finished.retired).toEqual([expect.objectContaining({ id: OLD, outcome: 'deleted' })])
    expect(fake.calls().slice(before)).toEqual([
      `GET access/certificates/${OLD}`,
      `GET access/certificates/${OLD}`,
      `DELETE access/certificates/${OLD}`,
    ])
    expect(fake.stored.get(`accounts/${ACCOUNT_ID}`)?.map((c) => c.id)).toEqual([state.placed?.certificate.id])
  })

  it('immediately: retires the old CA in the main step, with no tail', async () => {
    const { fake, context, e, state, retire } = await rotate('immediately')
    expect(retire.when).toBe('now')
    const outcome = (await accessStore.apply(retire, e, state, context)) as AccessDone
    expect(accessStore.tailOf(outcome)).toBeUndefined()
    expect(outcome.retired).toEqual([expect.objectContaining({ id: OLD, outcome: 'deleted' })])
    expect(outcome.lines).toEqual([`Deleted the old Access CA 'partners-ca' (${OLD}).`])
    expect(fake.stored.get(`accounts/${ACCOUNT_ID}`)).toHaveLength(1)
  })

  it('refuses a retire or a move before the CA is placed, and a placement without its spec, sending nothing', async () => {
    const { fake, context, e, place, move, retire } = await rotate('immediately')
    const before = fake.requests.length
    await expect(accessStore.apply(move, e, { outcomes: [] }, context)).rejects.toThrow(
      'an Access move ran before the CA was placed',
    )
    await expect(accessStore.apply(retire, e, { outcomes: [] }, context)).rejects.toThrow(
      'an Access retire ran before the CA was placed',
    )
    await expect(accessStore.apply(place, { name: 'e', steps: [] }, { outcomes: [] }, context)).rejects.toThrow(
      'an Access placement without its spec',
    )
    expect(fake.requests).toHaveLength(before)
  })

  it('reuses on a re-run: no upload, and the reused id placed', async () => {
    const { fake, context, state } = await rotate('end-of-job')
    const again = { ...context }
    const place = await placed(again)
    expect(actions(place.data.steps)).toEqual(['reuse'])
    const before = fake.requests.length
    const rerun: ApplyState & { outcomes: unknown[] } = { outcomes: [] }
    await accessStore.apply(place, entry(), rerun, again)
    expect(rerun.placed).toEqual({ certificate: { id: state.placed?.certificate.id }, created: false })
    expect(fake.requests).toHaveLength(before)
  })

  it('has no tail for an outcome without one, and reports each step by its own report', async () => {
    expect(accessStore.tailOf(undefined)).toBeUndefined()
    const { done, moved, place, move, e } = await rotate('end-of-job')
    expect(accessStore.tailOf(done)).toBeUndefined()
    expect(accessStore.report(place, done, e, 'main').rows.map((r) => r.action)).toEqual(['upload'])
    expect(accessStore.report(move, moved, e, 'main').rows.map((r) => [r.action, r.id])).toEqual([
      ['attach', done.id],
      ['detach', OLD],
    ])
    expect(accessStore.report(move, moved, e, 'main').outputs).toEqual({})
  })
})
