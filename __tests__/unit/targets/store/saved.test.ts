import { describe, expect, it } from 'vitest'
import { isRecord } from '../../../../src/core/record.ts'
import { savedRetireProblem } from '../../../../src/targets/store/saved.ts'

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6'

/** The account store's retire step as the main step saves it, its rotation changed by `change`. */
const saved = (change: (rotation: Record<string, unknown>) => void = () => undefined, guards: unknown = []) => {
  const rotation: Record<string, unknown> = {
    id: ID,
    name: 'payments',
    ca: false,
    issuedAt: 1_700_000_000_000,
    uploadedOn: '2025-03-01T12:00:00Z',
  }
  change(rotation)
  return { target: 'store', action: 'retire', when: 'end-of-job', data: { rotation, guards } }
}

describe('savedRetireProblem', () => {
  it('trusts a rotation as the main step writes it, a CA or a leaf, with 32-hex ids too', () => {
    expect(savedRetireProblem(saved())).toBeUndefined()
    expect(savedRetireProblem(saved((r) => Object.assign(r, { ca: true, id: 'ab'.repeat(16) })))).toBeUndefined()
  })

  it.each<[string, (rotation: Record<string, unknown>) => void, string]>([
    ['no id', (r) => delete r.id, 'its id is not a Cloudflare certificate id'],
    ['an id that is a path', (r) => (r.id = '../../accounts'), 'its id is not a Cloudflare certificate id'],
    ['an empty name', (r) => (r.name = ''), 'its name is not a single line of 1 to 200 characters'],
    ['a name of two lines', (r) => (r.name = 'a\nb'), 'its name is not a single line of 1 to 200 characters'],
    ['a name too long', (r) => (r.name = 'n'.repeat(201)), 'its name is not a single line of 1 to 200 characters'],
    ['a name that is a number', (r) => (r.name = 7), 'its name is not a single line of 1 to 200 characters'],
    ['a ca flag as text', (r) => (r.ca = 'true'), 'its ca flag is not true or false'],
    ['no ca flag', (r) => delete r.ca, 'its ca flag is not true or false'],
    ['an issue time as text', (r) => (r.issuedAt = '1'), 'its issue time is not a number'],
    ['an issue time that is not finite', (r) => (r.issuedAt = Infinity), 'its issue time is not a number'],
    // An upload time that is no time would make every certificate of the name "older".
    ['an upload time that is no time', (r) => (r.uploadedOn = 'yesterday'), 'its upload time is not an ISO 8601 time'],
    ['no upload time', (r) => delete r.uploadedOn, 'its upload time is not an ISO 8601 time'],
  ])('refuses %s', (_, change, problem) => {
    expect(savedRetireProblem(saved(change))).toBe(problem)
  })

  it('refuses a step without a rotation, and guards that are not a list', () => {
    expect(savedRetireProblem({ data: { guards: [] } })).toBe('it has no certificate to rotate to')
    expect(savedRetireProblem({ data: [] })).toBe('it has no certificate to rotate to')
    expect(savedRetireProblem({})).toBe('it has no certificate to rotate to')
    expect(savedRetireProblem(saved(undefined, { target: 'workers' }))).toBe(
      'its guards are not targets of this action',
    )
    const unguarded = saved()
    delete (unguarded.data as { guards?: unknown }).guards
    expect(savedRetireProblem(unguarded)).toBe('its guards are not targets of this action')
  })
})

describe('isRecord', () => {
  it('is a map: not null, not a list, not a scalar', () => {
    expect([{}, { a: 1 }, null, [], 'x', 1, undefined].map(isRecord)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ])
  })
})
