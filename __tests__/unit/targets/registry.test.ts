import { describe, expect, it } from 'vitest'
import { STORES, USES, storeOf, useTarget } from '../../../src/targets/registry.ts'

describe('the registry', () => {
  it('holds the account store, and the use targets in the order apply runs them', () => {
    expect(STORES.map((s) => s.name)).toEqual(['store'])
    expect(storeOf()).toBe(STORES[0])
    expect(USES.map((u) => u.name)).toEqual(['api-shield', 'workers', 'hyperdrive'])
  })

  it('gives every target its own name: a step names the target that applies it', () => {
    const names = [...STORES, ...USES].map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
  })

  it('finds a use target by name, and refuses one it does not hold', () => {
    for (const use of USES) expect(useTarget(use.name)).toBe(use)
    expect(() => useTarget('store')).toThrow('no target named store')
    expect(() => useTarget('access')).toThrow('no target named access')
  })
})
