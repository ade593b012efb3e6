import { planBroken } from '../../core/errors.ts'
import type { OriginPullApplied } from '../../origin-pull/apply.ts'
import type { OriginPullSpec, OriginPullStep } from '../../origin-pull/plan.ts'
import type { EntryPlan, Step } from '../../plan/step.ts'

/** Authenticated Origin Pulls: what its steps carry, and the entry's spec as the origin pull planner reads it. */

export const ORIGIN_PULL = 'origin-pull'

/** Placing: the certificate uploaded or reused; what follows is planned with it. */
export interface OriginPullPlaceData {
  zoneId: string
  /** Per hostname; zone-level when empty. */
  hostnames: string[]
  /** The upload or the reuse. */
  steps: OriginPullStep[]
  /** The move step's: the hostnames pointed at it, and the wait until it is active. */
  moves: OriginPullMoveData
  /** The replaced certificates' retire or keep, planned with the placement: the retire step's. */
  later: OriginPullStep[]
  /** Said in the plan: zone-level origin pulls turned off. */
  notes: string[]
}

/** Moving: the hostnames pointed at the certificate, then the wait until it reads active. */
export interface OriginPullMoveData {
  zoneId: string
  hostnames: string[]
  steps: OriginPullStep[]
  /** The reused certificate's id, for the plan's rows (an upload's is known once done). */
  reused?: string
}

/** Retiring: each replaced certificate deleted once nothing points at it, or kept with why. */
export interface OriginPullRetireData {
  zoneId: string
  hostnames: string[]
  /** The certificate rotated to: its id once placed (saved for the post step), never deleted. */
  rotation: { name: string; id?: string }
  steps: OriginPullStep[]
  /** The zone's hostnames other entries of the manifest list, known once placed: none may point at what is deleted. */
  others?: string[]
}

/** What an origin pull step did, and the retire step saved for the post step. */
export interface OriginPullDone extends OriginPullApplied {
  tail?: Step<OriginPullRetireData>
}

/** The zone the rules made sure of (certificate/rules.ts). */
export function zoneOf(entry: EntryPlan): string {
  const zoneId = entry.spec.storeScope?.zoneId
  if (zoneId === undefined) throw planBroken('an origin pull entry without its zone')
  return zoneId
}

/** The spec as src/origin-pull/ plans it: the leaf alone (Cloudflare takes a leaf), its hostnames. */
export const originPullSpecOf = (entry: EntryPlan): OriginPullSpec => ({
  certificate: entry.checked.leaf.toString(),
  hostnames: entry.spec.storeScope?.hostnames ?? [],
  retire: entry.spec.replace,
})

/** The store as the plan's Target column names it. */
export const storeText = (zoneId: string, hostnames: readonly string[]): string =>
  `origin pulls, zone ${zoneId}${hostnames.length > 0 ? ', per hostname' : ', zone-level'}`
