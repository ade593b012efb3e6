import { planBroken } from '../core/errors.ts'
import type { StoreTarget, UseTarget } from '../plan/target.ts'
import { apiShield } from './api-shield/index.ts'
import { hyperdrive } from './hyperdrive/index.ts'
import { mtlsStore } from './store/index.ts'
import { workers } from './workers/index.ts'

/**
 * Every target, and the only module that imports them: the pipeline reaches a target through here.
 * A new target is a folder under targets/ and a line below (CONTRIBUTING.md, "A new target").
 */

/** Where a certificate is kept. */
export const STORES: readonly StoreTarget[] = [mtlsStore]

/** What puts a certificate to use once it is in place, in the order apply runs them. */
export const USES: readonly UseTarget[] = [apiShield, workers, hyperdrive]

/** The manifest fields the targets declare, for the readers (a new target's field needs no edit there). */
export const TARGET_FIELDS = USES.flatMap((use) => (use.field ? [use.field] : []))

export function useTarget(name: string): UseTarget {
  const target = USES.find((candidate) => candidate.name === name)
  if (!target) throw planBroken(`no target named ${name}`)
  return target
}

export const storeOf = (): StoreTarget => mtlsStore
