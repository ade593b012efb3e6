import type { BindingTarget } from '../../certificate/spec.ts'
import type { WorkerScope } from '../../replace/workers.ts'
import type { BindingEdits } from '../../wrangler/edits.ts'
import type { BoundSection } from '../../wrangler/workers.ts'
import type { Served } from './deployed.ts'

/** A write-bindings step's own data, and what writing them did. */

export interface BindingsData {
  configs: BindingTarget[]
  /** The edits as planned, with the id the plan knows (the new certificate's placeholder for an upload). */
  planned: BindingEdits
  /** The Workers whose bindings keep an older certificate. */
  scope: WorkerScope
  /** Sections that bind the certificate but name no Worker: why every Worker is read. */
  unnamed: string[]
  /** Each section that binds the certificate, with its Worker and, in a plan's forecast, what that Worker serves. */
  sections: (BoundSection & { served?: Served })[]
}

/** What planning read: the files, and (a plan's forecast) what their Workers serve, per Worker and binding. */
export interface BindingsObserved {
  loaded: import('../../wrangler/config.ts').LoadedConfigs
  served?: Record<string, Record<string, Served>>
}

/** What writing the bindings did: the edits made with the real id, and the files written. */
export interface BindingsDone {
  edits: BindingEdits
  written: string[]
}
