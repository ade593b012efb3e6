import { planBroken } from '../core/errors.ts'
import type { StoreTarget, UseTarget } from '../plan/target.ts'
import type { CertificateSpec } from '../certificate/spec.ts'
import { accessStore } from './access/index.ts'
import { apiShield } from './api-shield/index.ts'
import { originPullStore } from './origin-pull/index.ts'
import { hyperdrive } from './hyperdrive/index.ts'
import { mtlsStore } from './store/index.ts'
import { workers } from './workers/index.ts'

/**
 * Every target, and the only module that imports them: the pipeline reaches a target through here.
 * A new target is a folder under targets/ and a line below (CONTRIBUTING.md, "A new target").
 */

/** Where a certificate is kept: the first is the default. */
export const STORES: readonly StoreTarget[] = [mtlsStore, accessStore, originPullStore]

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
