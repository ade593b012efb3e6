import { planBroken } from '../core/errors.ts'
import type { StoreTarget, UseTarget } from '../plan/target.ts'
import type { CertificateSpec } from '../certificate/spec.ts'
import { apiShield } from './api-shield/index.ts'
import { hyperdrive } from './hyperdrive/index.ts'
import { mtlsStore } from './store/index.ts'
import { workers } from './workers/index.ts'

/**
 * Every target, and the only module that imports them: the pipeline reaches a target through here.
 * A new target is a folder under targets/ and a line below (CONTRIBUTING.md, "A new target").
 */

/**
 * The other stores, each a chunk of dist/ of its own, loaded (loadStores) only by a step whose entries,
 * or saved steps, use it: most steps never do.
 */
const STORE_CHUNKS: Readonly<Record<string, () => Promise<StoreTarget>>> = {
  access: async () => (await import('./access/index.ts')).accessStore,
  'origin-pull': async () => (await import('./origin-pull/index.ts')).originPullStore,
}

/** Where a certificate is kept, as loaded so far: the first, the account's, is the default and always there. */
const loaded: StoreTarget[] = [mtlsStore]
export const STORES: readonly StoreTarget[] = loaded

/** Each store's chunk as it loads: one load whatever the number of callers. */
const loading = new Map<string, Promise<StoreTarget>>()

/** Loads the stores these names (a spec's `store`, a step's `target`) name; other names are left alone. */
export async function loadStores(names: Iterable<string | undefined>): Promise<void> {
  const wanted = [...new Set(names)].flatMap((name) => {
    const chunk = name === undefined ? undefined : STORE_CHUNKS[name]
    if (!name || !chunk) return []
    const store = loading.get(name) ?? chunk()
    loading.set(name, store)
    return [store]
  })
  for (const store of await Promise.all(wanted)) if (!loaded.includes(store)) loaded.push(store)
  // In the registry's order, whichever loaded first: the account's store stays the default.
  const rank = (store: StoreTarget): number => [mtlsStore.name, ...STORE_CHUNK_NAMES].indexOf(store.name)
  loaded.sort((a, b) => rank(a) - rank(b))
}

/** Every store's name: the post step loads them all, whatever it was saved. */
export const STORE_CHUNK_NAMES = Object.keys(STORE_CHUNKS)

/** What puts a certificate to use once it is in place, in the order apply runs them. */
export const USES: readonly UseTarget[] = [apiShield, workers, hyperdrive]

/** The manifest fields the targets declare, for the readers (a new target's field needs no edit there). */
export const TARGET_FIELDS = USES.flatMap((use) => (use.field ? [use.field] : []))

export function useTarget(name: string): UseTarget {
  const target = USES.find((candidate) => candidate.name === name)
  if (!target) throw planBroken(`no target named ${name}`)
  return target
}

/** The store an entry's spec names (`store`), the account's by default. */
export function storeFor(spec: CertificateSpec): StoreTarget {
  const store = STORES.find((candidate) => candidate.store === (spec.store ?? 'mtls'))
  if (!store) throw planBroken(`no store named ${spec.store ?? 'mtls'}`)
  return store
}

/** The store that plans and applies steps of this target name; undefined for a use target's. */
export const storeNamed = (name: string | undefined): StoreTarget | undefined =>
  STORES.find((candidate) => candidate.name === name)
