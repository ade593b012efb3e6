import type { AccessOwner } from '../../cloudflare/endpoints.ts'
import { planBroken } from '../../core/errors.ts'
import type { AccessApplied } from '../../access/apply.ts'
import type { AccessSpec, AccessStep } from '../../access/plan.ts'
import type { EntryPlan, Step } from '../../plan/step.ts'

/** Access's CAs (Zero Trust): what its steps carry, and the entry's spec as the Access planner reads it. */

export const ACCESS = 'access'

/** Placing: the CA uploaded or reused; what follows is planned with it. */
export interface AccessPlaceData {
  owner: AccessOwner
  /** The upload or the reuse. */
  steps: AccessStep[]
  /** The move step's: the CA given its hostnames and the old CAs' taken off (make before break). */
  moves: AccessMoveData
  /** The old CAs' retire or keep: the retire step's. */
  later: AccessStep[]
}

/** Moving: attach and detach, in the order they run (detach-first puts the detaches first). */
export interface AccessMoveData {
  owner: AccessOwner
  steps: AccessStep[]
  /** The gap `swap: detach-first` opens, said in the plan. */
  gap?: string
  /** The reused CA's id, for the plan's rows (an upload's is known once done). */
  reused?: string
}

/** Retiring: each old CA deleted once its hostnames read empty, or kept with why. */
export interface AccessRetireData {
  owner: AccessOwner
  /** The CA rotated to: its id once placed (saved for the post step). */
  rotation: { name: string; id?: string }
  steps: AccessStep[]
}

/** The owner of the entry's CA: its zone with `zone-id`, else the step's account. */
export const ownerOf = (entry: EntryPlan, accountId: string): AccessOwner => {
  const zoneId = entry.spec.storeScope?.zoneId
  return zoneId ? { zoneId } : { accountId }
}

/** The spec as src/access/ plans it: the CA's canonical PEM (as checked), its name and hostnames. */
export function accessSpecOf(entry: EntryPlan): AccessSpec {
  const { spec, checked } = entry
  if (spec.name === undefined) throw planBroken('an Access entry without its name')
  return {
    name: spec.name,
    certificate: checked.certificatesPem,
    hostnames: spec.storeScope?.hostnames ?? [],
    ...(spec.storeScope?.swap ? { swap: spec.storeScope.swap } : {}),
    retire: spec.replace,
  }
}

/** What an Access step did: the Access planner's result lines, and the retire step saved for the post step. */
export interface AccessDone extends AccessApplied {
  tail?: Step<AccessRetireData>
}

/** The CA a step acts on, when it names one. */
export const idOf = (step: AccessStep): string | undefined => ('id' in step ? step.id : undefined)
