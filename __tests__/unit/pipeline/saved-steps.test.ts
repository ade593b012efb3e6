import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { Step } from '../../../src/plan/step.ts'
import { loadSteps, parseSteps, saveSteps } from '../../../src/pipeline/saved-steps.ts'
import type { RetireData } from '../../../src/targets/store/retire.ts'
import { STORE_CHUNK_NAMES, loadStores } from '../../../src/targets/registry.ts'

// Every store checks its own saved steps: the post step loads them all, as here.
beforeAll(() => loadStores(STORE_CHUNK_NAMES))

/** The tail the main step saves as the store's retire steps would have it, and the post step's reading. */
const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6'
const tail = (
  overrides: Partial<RetireData['rotation']> = {},
  guards: RetireData['guards'] = [],
): Step<RetireData> => ({
  target: 'store',
  action: 'retire',
  when: 'end-of-job',
  data: {
    rotation: { id: ID, name: 'payments', ca: false, issuedAt: 1, uploadedOn: '2025-03-01T12:00:00Z', ...overrides },
    guards,
  },
})

/** The runner's state, held in memory. */
const state = new Map<string, string>()
vi.mock('../../../src/action/state-helper.ts', () => ({
  saveForPostStep: (name: string, value: unknown) => state.set(name, JSON.stringify(value)),
  loadFromMainStep: (name: string) => state.get(name),
}))

describe('saveSteps and loadSteps', () => {
  it('give the post step back the steps the main step saved, under one state name', async () => {
    expect(await loadSteps()).toBeUndefined()
    const steps = [tail(), tail({ name: 'billing' }, [{ target: 'workers', saved: { scope: 'every' } }])]
    saveSteps(steps)
    expect([...state.keys()]).toEqual(['end-of-job-steps'])
    expect(await loadSteps()).toEqual({ steps })
  })
})

describe('parseSteps', () => {
  it('reads a guard of every use target, and refuses a guard of none', () => {
    const guards = [
      { target: 'api-shield', saved: { zoneId: 'z', hostnames: ['a'] } },
      { target: 'workers', saved: { scope: ['payments'] } },
    ]
    expect(parseSteps(JSON.stringify([tail({}, guards)]))).toEqual({ steps: [tail({}, guards)] })
    expect(parseSteps(JSON.stringify([tail({}, [{ target: 'store', saved: {} }])]))).toEqual({
      problem: 'its guards are not targets of this action',
    })
  })

  it('refuses the whole list for one step that does not read as saved, naming it', () => {
    expect(parseSteps(JSON.stringify([tail(), tail({ uploadedOn: 'yesterday' })]))).toEqual({
      problem: 'step 2: its upload time is not an ISO 8601 time',
    })
    expect(parseSteps(JSON.stringify([{ ...tail(), when: 'now' }]))).toEqual({
      problem: 'it is not a retire step for the end of the job',
    })
    expect(parseSteps('[]')).toEqual({ problem: 'it is not a list of steps' })
    expect(parseSteps('{')).toEqual({ problem: 'it is not JSON' })
  })
})

describe('parseSteps: each step checked by the store it names', () => {
  const access = {
    target: 'access',
    action: 'retire',
    when: 'end-of-job',
    data: {
      owner: { accountId: '023e105f4ecef8ad9ca31a8372d0c353' },
      rotation: { name: 'partners-ca', id: ID },
      steps: [{ action: 'retire', id: 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415', name: 'partners-ca', hostnames: [] }],
    },
  }
  const originPull = {
    target: 'origin-pull',
    action: 'retire',
    when: 'end-of-job',
    data: {
      zoneId: '9a7806061c88ada191ed06f989cc3dac',
      hostnames: ['a.example.com'],
      rotation: { name: 'origin', id: ID },
      steps: [{ action: 'retire', id: '0123456789abcdef0123456789abcdef', reason: 'it served a.example.com' }],
    },
  }

  it("reads a list of every store's steps, each by its own store's checks", () => {
    expect(parseSteps(JSON.stringify([tail(), access, originPull]))).toEqual({ steps: [tail(), access, originPull] })
    // An Access step is not held to the account store's rotation fields (ca, upload time), nor the other way round.
    const asAccess = { ...access, data: { ...access.data, owner: { accountId: 'nope' } } }
    expect(parseSteps(JSON.stringify([tail(), asAccess]))).toEqual({
      problem: 'step 2: its account or zone is not a Cloudflare id',
    })
    const asOriginPull = { ...originPull, data: { ...originPull.data, hostnames: ['a/b'] } }
    expect(parseSteps(JSON.stringify([asOriginPull]))).toEqual({ problem: 'its hostnames are not hostnames' })
  })

  it('refuses a step of a target that is not a store, or of none', () => {
    for (const target of ['api-shield', 'workers', 'elsewhere', undefined])
      expect(parseSteps(JSON.stringify([{ ...access, target }]))).toEqual({
        problem: 'it is not a retire step for the end of the job',
      })
  })

  it("checks an Access step's guards too: a use target's, or none", () => {
    const guarded = (guards: unknown) => JSON.stringify([{ ...access, data: { ...access.data, guards } }])
    expect(parseSteps(guarded([{ target: 'workers', saved: {} }]))).toHaveProperty('steps')
    expect(parseSteps(guarded([{ target: 'access', saved: {} }]))).toEqual({
      problem: 'its guards are not targets of this action',
    })
    expect(parseSteps(guarded('all'))).toEqual({ problem: 'its guards are not targets of this action' })
  })
})
