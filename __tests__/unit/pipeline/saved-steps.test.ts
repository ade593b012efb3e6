import { describe, expect, it, vi } from 'vitest'
import type { Step } from '../../../src/plan/step.ts'
import { loadSteps, parseSteps, saveSteps } from '../../../src/pipeline/saved-steps.ts'
import type { RetireData } from '../../../src/targets/store/retire.ts'

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
  it('give the post step back the steps the main step saved, under one state name', () => {
    expect(loadSteps()).toBeUndefined()
    const steps = [tail(), tail({ name: 'billing' }, [{ target: 'workers', saved: { scope: 'every' } }])]
    saveSteps(steps)
    expect([...state.keys()]).toEqual(['end-of-job-steps'])
    expect(loadSteps()).toEqual({ steps })
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
