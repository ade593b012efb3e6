import type { BindingTarget } from '../../certificate/spec.ts'
import type { WorkerScope } from '../../replace/workers.ts'
import type { BindingEdits } from '../../wrangler/edits.ts'

/** A write-bindings step's own data, and what writing them did. */

export interface BindingsData {
  configs: BindingTarget[]
  /** The edits as planned, with the id the plan knows (the new certificate's placeholder for an upload). */
  planned: BindingEdits
  /** The Workers whose bindings keep an older certificate. */
  scope: WorkerScope
  /** Sections that bind the certificate but name no Worker: why every Worker is read. */
  unnamed: string[]
}

/** What writing the bindings did: the edits made with the real id, and the files written. */
export interface BindingsDone {
  edits: BindingEdits
  written: string[]
}
