import { settleConcurrently } from '../core/concurrency.ts'
import { OperationError, errorMessage } from '../core/errors.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { EntryPlan, EntrySteps, Step } from '../plan/step.ts'
import type { ApplyState, TargetContext } from '../plan/target.ts'
import { storeNamed, useTarget } from '../targets/registry.ts'
import { MAX_CONCURRENT_ENTRIES } from './make-plan.ts'

/**
 * The one function that carries out a plan: the main step's (a single certificate's or a manifest's)
 * and the post step's saved tail alike; a dry run never reaches it. Each entry's steps run in order,
 * make before break (the store places the certificate first and retires older ones last); entries
 * run at most 4 at once, and one that fails leaves the others to finish.
 */

/** The certificate is in place but a later step failed: a re-run adopts it and finishes the job. */
export class PlacedButUnfinished extends OperationError {
  readonly placed: { certificate: MtlsCertificate; created: boolean }
  constructor(message: string, placed: PlacedButUnfinished['placed'], cause: unknown) {
    super(message, { cause })
    this.placed = placed
  }
}

export interface EntryDone<E extends EntrySteps = EntrySteps> {
  entry: E
  /** What apply returned for each step, in the plan's order; absent for steps not reached. */
  outcomes: unknown[]
  error?: unknown
}

export async function applyPlan<E extends EntrySteps>(
  entries: readonly E[],
  context: TargetContext,
  phase: 'main' | 'post',
): Promise<EntryDone<E>[]> {
  const settled = await settleConcurrently(entries, MAX_CONCURRENT_ENTRIES, async (entry) => {
    const done: EntryDone<E> = { entry, outcomes: [] }
    try {
      await applyEntry(entry, context, phase, done.outcomes)
    } catch (error) {
      done.error = error
    }
    return done
  })
  // Each entry's failure is caught above, so every one settles fulfilled.
  return settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
}

async function applyEntry(
  entry: EntrySteps,
  context: TargetContext,
  phase: 'main' | 'post',
  outcomes: unknown[],
): Promise<void> {
  const state: ApplyState & { outcomes: unknown[] } = { outcomes }
  for (const step of entry.steps) {
    const store = storeNamed(step.target)
    if (store) {
      outcomes.push(
        phase === 'post' ? await store.finish(step, context) : await store.apply(step, entry, state, context),
      )
      continue
    }
    outcomes.push(await applyUse(step, entry, state, context))
  }
}

async function applyUse(step: Step, entry: EntrySteps, state: ApplyState, context: TargetContext): Promise<unknown> {
  const target = useTarget(step.target)
  try {
    return await target.apply(step, state, context)
  } catch (error) {
    const { placed } = state
    if (!placed) throw error
    const what = 'spec' in entry && (entry as EntryPlan).spec.ca ? 'CA' : 'certificate'
    throw new PlacedButUnfinished(
      `${errorMessage(error).replace(/\.$/, '')}. The ${what} is ${placed.created ? 'uploaded' : 'in the account'} as ${placed.certificate.id} (its id is in the step's outputs): once this is fixed, re-run the job, which adopts it and ${target.unfinished}.`,
      placed,
      error,
    )
  }
}
