import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { combineScopes, parseConsumerKinds, readsAnything } from '../../../src/consumers/scope.ts'

describe('parseConsumerKinds', () => {
  it('reads kinds one per line or comma-separated, all for every kind, empty for none', () => {
    expect(parseConsumerKinds('')).toEqual([])
    expect(parseConsumerKinds('pages, Hyperdrive')).toEqual(['pages', 'hyperdrive'])
    expect(parseConsumerKinds('hyperdrive\nworkers\n')).toEqual(['workers', 'hyperdrive'])
    expect(parseConsumerKinds('all')).toEqual(['workers', 'pages', 'hyperdrive'])
  })
  it('refuses an unknown word, naming the input and the words it takes', () => {
    expect(() => parseConsumerKinds('workers, d1')).toThrow(InputError)
    expect(() => parseConsumerKinds('d1')).toThrow(
      /Input 'check-consumers' has 'd1'.*workers, pages, hyperdrive or all/,
    )
  })
})

describe('combineScopes and readsAnything', () => {
  const none = { workers: [], pages: false, hyperdrive: false, rollbackDeployments: 0 }
  it('reads nothing for none, and combines names, kinds and the longest rollback', () => {
    expect(readsAnything(none)).toBe(false)
    expect(readsAnything({ ...none, hyperdrive: true })).toBe(true)
    expect(
      combineScopes([
        { ...none, workers: ['a'], rollbackDeployments: 2 },
        { ...none, workers: ['a', 'b'], pages: true },
      ]),
    ).toEqual({ workers: ['a', 'b'], pages: true, hyperdrive: false, rollbackDeployments: 2 })
    expect(combineScopes([{ ...none, workers: 'every' }, none]).workers).toBe('every')
  })
})
