import { planBroken } from '../core/errors.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { TargetField } from '../certificate/fields.ts'
import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { RetireReads } from '../replace/read.ts'
import type { ConsumerOptions } from '../consumers/scope.ts'
import type { WorkerCheck, WorkerScope } from '../replace/workers.ts'
import type { Report } from '../core/report.ts'
import type { CertificateRef, EntryPlan, EntrySteps, Step } from './step.ts'

/**
 * What every target is: each thing a certificate is placed in or used by (the account store, API
 * Shield hostnames, Worker bindings, …) is a folder under targets/ with one of these, and one line
 * in targets/registry.ts. The pipeline knows targets only through this interface.
 */

/** The step-wide facts every target plans and applies with. */
export interface TargetContext {
  api: CloudflareApi
  /** When the step started, by the runner's clock. */
  now: Date
  replaceWhen: 'end-of-job' | 'immediately'
  /** Where the repository is checked out: files a spec names are read there. */
  workspace: string
  /** check-workers: every Worker of the account is read before a delete. */
  checkWorkers: boolean
  /**
   * The plan will be shown, not applied (a dry run): observe also reads what a forecast needs (what
   * each older certificate serves and who uses it), which a real run reads right before it acts.
   */
  forecast: boolean
  /** The account's certificates as listed once before planning; absent when the plan needs no listing. */
  listing?: readonly MtlsCertificate[]
  /** check-consumers' Pages and Hyperdrive, and rollback-deployments: what else keeps an older certificate. */
  consumers: ConsumerOptions
  /** What a scope of Workers (and the other consumers) use, read once for the whole step whatever the number of entries. */
  workerCheck: (scope: WorkerScope, consumers: ConsumerOptions) => WorkerCheck | undefined
  /** The reads that keep an older certificate, from the guards of the entry's use targets. */
  retireReads: RetireReadsOf
}

/** What apply knows of an entry while it runs: the certificate once placed. */
export interface ApplyState {
  placed?: { certificate: MtlsCertificate; created: boolean }
}

/** The placed certificate, for a step that runs after the placement: `step` and `placed` name them if it did not. */
export function placedOf(
  state: ApplyState,
  step = 'a step that uses the certificate',
  placed = 'it',
): NonNullable<ApplyState['placed']> {
  if (!state.placed) throw planBroken(`${step} ran before ${placed} was placed`)
  return state.placed
}

/**
 * What keeps an older certificate while a use target still needs it (make before break): named by its
 * target, with plain JSON the post step gets back as it was saved.
 */
export interface RetireGuard {
  target: string
  saved: unknown
}

/** How a retire reads the account: the guards' reads, gathered by the pipeline (targets/registry.ts). */
export type RetireReadsOf = (guards: readonly RetireGuard[], newId: string | undefined) => RetireReads

/** A target that puts an entry's certificate to use once it is in place. */
export interface UseTarget<O = unknown, D = unknown> {
  name: string
  /** What a re-run finishes when this target's step failed after the certificate was placed: `attaches the hostnames`. */
  unfinished: string
  /** The manifest field it declares itself, when the certificate's own fields do not give its settings. */
  field?: TargetField
  /** Whether the entry's spec gives this target anything to do. */
  appliesTo(entry: EntryPlan): boolean
  /** The reads planning needs (none may be needed). */
  observe(entry: EntryPlan, certificate: CertificateRef, context: TargetContext): Promise<O>
  /** Pure: the steps from the spec and what was observed. */
  plan(entry: EntryPlan, certificate: CertificateRef, observed: O, context: TargetContext): Step<D>[]
  /** Carries one of its steps out. */
  apply(step: Step<D>, state: ApplyState, context: TargetContext): Promise<unknown>
  /**
   * How a step reads in the plan, the summary, the outputs and the log: planned (`outcome` undefined)
   * or with what apply returned. `certificateId`: the entry's certificate, undefined before an upload.
   */
  report(step: Step<D>, outcome: unknown, certificateId: string | undefined): Report
  /** What keeps an older certificate while this target still uses it (plain JSON); undefined for nothing. */
  retireGuard?(entry: EntryPlan, steps: readonly Step<D>[], context: TargetContext): unknown
  /**
   * The reads a guard gives a retire: `newId` absent in a plan whose certificate is not uploaded yet.
   * `saved` comes back from the post step's state: a problem (a string) when it does not read as saved.
   */
  retireReads?(saved: unknown, newId: string | undefined, context: TargetContext): Partial<RetireReads> | string
}

/**
 * Where an entry's certificate is kept (the account's mTLS store, Access's CAs, origin pulls): placed
 * first, older ones retired last. An entry's spec names its store (`store`, the account's by default).
 */
export interface StoreTarget<P = unknown, R = unknown, O = unknown> {
  name: string
  /** The spec's `store` value it serves: `mtls`, `access`, `origin-pull`. */
  store: string
  /** The reads placing needs (none, for the account store: the step's listing has them). */
  observe(entry: EntryPlan, context: TargetContext): Promise<O>
  /** The first step: the certificate uploaded, or reused (pure, from what was observed). */
  place(entry: EntryPlan, context: TargetContext, observed: O): Step<P>
  /**
   * What makes the placed certificate serve before anything old lets go (Access's attach and detach,
   * origin pulls' assignment and wait), as steps of their own: a failure there still reports the
   * placement (the id, the upload) with the entry's error. None for the account store.
   */
  moves(entry: EntryPlan, place: Step<P>): Step[]
  /** The id the later steps plan with: the reused certificate's, or the placeholder for an upload. */
  certificateOf(step: Step<P>): CertificateRef
  /** Whether the spec asks for older certificates to be retired, and the plan so far allows it. */
  retires(entry: EntryPlan, place: Step<P>): boolean
  /** The last step: retire the older certificates once nothing uses them. */
  retire(entry: EntryPlan, place: Step<P>, guards: RetireGuard[], context: TargetContext): Step<R>
  /** A plan that will not be applied: the retire step with its forecast, from reads made now. */
  forecast(step: Step<R>, place: Step<P>, context: TargetContext): Promise<Step<R>>
  apply(
    step: Step,
    entry: EntrySteps,
    state: ApplyState & { outcomes: unknown[] },
    context: TargetContext,
  ): Promise<unknown>
  /** The post step: a saved retire step carried out. */
  finish(step: Step<R>, context: TargetContext): Promise<unknown>
  /** The steps the post step finishes, from a main step's outcome (`tail`). */
  tailOf(outcome: unknown): Step<R> | undefined
  /**
   * Why a step saved for the post step cannot be trusted (every field checked: the post step deletes
   * by it), or undefined for one it wrote. `value` is its own target's and a retire for the end of the job.
   */
  savedProblem(value: Readonly<Record<string, unknown>>): string | undefined
  report(step: Step, outcome: unknown, entry: EntrySteps, phase: 'main' | 'post'): Report
}
