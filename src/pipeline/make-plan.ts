import { settleConcurrently } from '../core/concurrency.ts'
import type { EntryPlan, Plan, Step } from '../plan/step.ts'
import type { RetireGuard, TargetContext } from '../plan/target.ts'
import { USES, storeFor } from '../targets/registry.ts'

/**
 * Observe, then plan: for each entry, its store's placement, then each use target's reads and steps
 * with the id the placement gives (the placeholder for an upload), then the store's retire guarded by
 * what the use targets still need. A dry run's plan also carries the retire's forecast.
 */

/** Planned at most this many entries at once: Cloudflare's API is shared with the rest of the account. */
export const MAX_CONCURRENT_ENTRIES = 4

/** An entry as the spec readers give it: checked, its steps to come. */
export type CheckedEntry = Omit<EntryPlan, 'steps'>

export interface Planned extends Plan {
  /** Entries whose plan could not be made (a read refused, the account holding it with the other ca flag). */
  failed: { entry: CheckedEntry; error: unknown }[]
}

export async function makePlan(entries: readonly CheckedEntry[], context: TargetContext): Promise<Planned> {
  const settled = await settleConcurrently(entries, MAX_CONCURRENT_ENTRIES, (entry) => planEntry(entry, context))
  const plan: Planned = { entries: [], failed: [] }
  settled.forEach((outcome, index) => {
    const entry = entries[index] as CheckedEntry
    if (outcome.status === 'fulfilled') plan.entries.push(outcome.value)
    else plan.failed.push({ entry, error: outcome.reason })
  })
  return plan
}

async function planEntry(checked: CheckedEntry, context: TargetContext): Promise<EntryPlan> {
  const entry: EntryPlan = { ...checked, steps: [] }
  const store = storeFor(entry.spec)
  const place = store.place(entry, context, await store.observe(entry, context))
  const certificate = store.certificateOf(place)
  entry.steps.push(place, ...store.moves(entry, place))
  const guards: RetireGuard[] = []
  for (const use of USES) {
    const steps: Step[] = use.appliesTo(entry)
      ? use.plan(entry, certificate, await use.observe(entry, certificate, context), context)
      : []
    entry.steps.push(...steps)
    const saved = use.retireGuard?.(entry, steps, context)
    if (saved !== undefined) guards.push({ target: use.name, saved })
  }
  if (store.retires(entry, place)) {
    const retire = store.retire(entry, place, guards, context)
    entry.steps.push(context.forecast ? await store.forecast(retire, place, context) : retire)
  }
  return entry
}
