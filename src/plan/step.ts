import { planBroken } from '../core/errors.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import type { CertificateSpec } from '../certificate/spec.ts'

/**
 * The plan as a value (after octoDNS's Plan): for each certificate, the steps that take the account
 * from what was observed to what the spec wants, in the order apply carries them out. A dry run
 * renders it and stops; a real run hands it to apply (pipeline/apply-plan.ts), and the post step
 * carries out its saved tail with the same apply.
 */

/** When a step runs: in the main step, or at the end of the job (the post step), after the workflow's deploy. */
export type When = 'now' | 'end-of-job'

/**
 * The entry's own certificate, whose id a plan knows only once apply has placed it (an upload): a
 * first-class placeholder, never mistaken for an id. `resolveId` swaps it for the id apply learned.
 */
export const NEW_CERTIFICATE = { placeholder: 'new-certificate' } as const
export type CertificateRef = string | typeof NEW_CERTIFICATE

/** How the placeholder reads wherever an id is shown: not an id, so it can never be taken for one. */
export const NEW_CERTIFICATE_TEXT = "(the new certificate's id)"

export const isNew = (ref: CertificateRef): ref is typeof NEW_CERTIFICATE => typeof ref !== 'string'

export function resolveId(ref: CertificateRef, placedId: string | undefined): string {
  if (!isNew(ref)) return ref
  if (placedId === undefined) throw planBroken('a step that needs the new certificate ran before it was placed')
  return placedId
}

/**
 * One thing to do. `target` names the target that plans and applies it (targets/registry.ts);
 * `data` is that target's own, read by it alone.
 */
export interface Step<D = unknown> {
  target: string
  /** The target's own name for the kind of step (`place`, `retire`, `attach`, `write-bindings`). */
  action: string
  when: When
  data: D
}

/** What apply needs of an entry: its name and its steps (the post step's saved tail has no more). */
export interface EntrySteps {
  /** The manifest entry's name; a single-certificate step's `name` input, or '' without one. */
  name: string
  steps: Step[]
}

/** One certificate's plan: its spec, its local checks' result, and its steps. */
export interface EntryPlan extends EntrySteps {
  /** The manifest line the entry starts on; absent for the single step's inputs. */
  line?: number
  spec: CertificateSpec
  checked: CheckedCertificate
}

export interface Plan {
  entries: EntryPlan[]
}

/** The entry's plan, for a step that needs its spec and checks: only the main step's has them (`what` names the step). */
export function planOf(entry: EntrySteps, what: string): EntryPlan {
  if (!('spec' in entry)) throw planBroken(`${what} without its spec`)
  return entry as EntryPlan
}
