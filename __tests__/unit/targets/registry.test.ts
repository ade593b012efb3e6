import { beforeAll, describe, expect, it } from 'vitest'
import {
  STORES,
  STORE_CHUNK_NAMES,
  USES,
  loadStores,
  storeFor,
  storeNamed,
  useTarget,
} from '../../../src/targets/registry.ts'

// The stores beside the account's are chunks of their own, loaded by the steps that use them.
beforeAll(() => loadStores(STORE_CHUNK_NAMES))

describe('the registry', () => {
  it('loads each store once, by its name, and leaves other names alone', async () => {
    // Called at once, in either order (another file of a shared worker may load first): once each, in order.
    await Promise.all([loadStores(['origin-pull']), loadStores(['access', 'access', undefined, 'mtls', 'api-shield'])])
    expect(STORES.map((s) => s.name)).toEqual(['store', 'access', 'origin-pull'])
    expect(STORE_CHUNK_NAMES).toEqual(['access', 'origin-pull'])
  })

  it('holds the stores, the account store first, and the use targets in the order apply runs them', () => {
    expect(STORES.map((s) => s.name)).toEqual(['store', 'access', 'origin-pull'])
    expect(STORES.map((s) => s.store)).toEqual(['mtls', 'access', 'origin-pull'])
    expect(USES.map((u) => u.name)).toEqual(['api-shield', 'workers', 'hyperdrive'])
  })

  it('gives every target its own name: a step names the target that applies it', () => {
    const names = [...STORES, ...USES].map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
  })

  it("finds an entry's store by its spec's store, the account's without one, and a step's by its target", () => {
    const spec = (store?: 'access' | 'origin-pull') => ({
      certificate: { text: '', input: 'certificate' },
      ca: true,
      allowMissingKey: false,
      replace: false,
      ...(store ? { store } : {}),
    })
    expect(storeFor(spec())).toBe(STORES[0])
    expect(storeFor(spec('access')).name).toBe('access')
    expect(storeFor(spec('origin-pull')).name).toBe('origin-pull')
    for (const store of STORES) expect(storeNamed(store.name)).toBe(store)
    expect(storeNamed('api-shield')).toBeUndefined()
    expect(storeNamed(undefined)).toBeUndefined()
  })

  it('finds a use target by name, and refuses one it does not hold', () => {
    for (const use of USES) expect(useTarget(use.name)).toBe(use)
    expect(() => useTarget('store')).toThrow('no target named store')
    expect(() => useTarget('access')).toThrow('no target named access')
  })
})
