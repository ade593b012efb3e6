import { describe, expect, it } from 'vitest'
import { placedOf, type ApplyState } from '../../../src/plan/target.ts'
import { STORES, USES } from '../../../src/targets/registry.ts'

describe('placedOf', () => {
  it('gives the placed certificate', () => {
    const placed = { certificate: { id: 'c' }, created: true }
    expect(placedOf({ placed })).toBe(placed)
  })

  it('refuses a step that runs before the placement', () => {
    const state: ApplyState = {}
    expect(() => placedOf(state)).toThrow('a step that uses the certificate ran before it was placed')
    expect(() => placedOf(state, 'an Access move', 'the CA')).toThrow('an Access move ran before the CA was placed')
  })
})

const functions = (target: object): string[] =>
  Object.entries(target)
    .filter(([, value]) => typeof value === 'function')
    .map(([key]) => key)

describe('the targets as the interfaces state them', () => {
  it('gives every use target a name, what a re-run finishes, and the functions the pipeline calls', () => {
    for (const use of USES) {
      expect(use.name).toMatch(/^[a-z-]+$/)
      expect(use.unfinished).toMatch(/^[a-z]/)
      expect(functions(use)).toEqual(expect.arrayContaining(['appliesTo', 'observe', 'plan', 'apply', 'report']))
    }
  })

  it('gives every store every step of its life: observe, place, moves, retire, forecast, apply, finish, tail, saved, report', () => {
    for (const store of STORES)
      expect(functions(store).sort()).toEqual(
        [
          'apply',
          'certificateOf',
          'finish',
          'forecast',
          'moves',
          'observe',
          'place',
          'report',
          'retire',
          'retires',
          'savedProblem',
          'tailOf',
        ].sort(),
      )
  })
})
