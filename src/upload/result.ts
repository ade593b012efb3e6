import type { HostnameAttachment } from '../api-shield/plan.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import type { CertificateSpec } from '../certificate/spec.ts'
import type { MtlsCertificate } from '../cloudflare/answers.ts'
import type { ReplaceOutcome } from '../replace/policy.ts'
import type { SavedRotation } from '../replace/saved-rotation.ts'
import type { ConsumerOptions, WorkerCheck, WorkerScope } from '../replace/workers.ts'
import type { BindingEdits } from '../wrangler/edits.ts'

/**
 * What was done with one certificate (`applyCertificate`), or would be (`planCertificate`): the one
 * value its outputs and its part of the summary are made from. A step of many specs gets one each.
 */
export interface CertificateResult {
  spec: CertificateSpec
  checked: CheckedCertificate
  action: 'uploaded' | 'reused' | 'would upload' | 'would reuse'
  /** Cloudflare's entry for it; absent when a dry run would upload it. */
  certificate?: MtlsCertificate
  /** This run put it into the account. */
  created: boolean
  /** API Shield: its hostnames in the zone, attached or planned. */
  attachment?: HostnameAttachment
  /** replace was asked for and goes ahead (skipped for a certificate reused under another name, or of unknown upload time). */
  replace: boolean
  outcome: ReplaceOutcome
  /** Wrangler: the planned edits of the spec's configurations, and the files written (none in a dry run). */
  wrangler?: { edits: BindingEdits; written: string[] }
  /** replace-when: end-of-job, in a real run: what the post step finishes (saveRotations). */
  rotation?: SavedRotation
}

/** How one certificate's work is run: the step-wide options a spec does not hold. */
export interface CertificateOptions {
  /** When the step started, by the runner's clock (expiry, and a dry run's upload time). */
  now: Date
  replaceWhen: 'end-of-job' | 'immediately'
  /** The account as listed once for many specs; without it, a real run's upload is one POST and no listing. */
  listing?: readonly MtlsCertificate[]
  /** Where the spec's Wrangler configurations are (the workspace). */
  workspace: string
  /** check-workers: replace reads the bindings of every Worker in the account, not only the files' Workers. */
  checkWorkers: boolean
  /** check-consumers' other kinds and rollback-deployments (absent: Workers only, no rollback). */
  consumers?: ConsumerOptions
  /**
   * The Workers' bindings for a scope, read once for the whole step (a manifest's entries share them);
   * without it, each spec reads its own (replace/workers.ts workerCheck).
   */
  workerCheck?: (scope: WorkerScope) => WorkerCheck | undefined
}
