import { NEW_CERTIFICATE_TEXT, isNew, type CertificateRef, type Step } from '../../plan/step.ts'
import { placedOf, type UseTarget } from '../../plan/target.ts'
import { checksConsumers, type WorkerScope } from '../../replace/workers.ts'
import { savedGuard } from './saved.ts'
import { loadBindings } from '../../wrangler/config.ts'
import { planBindingEdits } from '../../wrangler/edits.ts'
import { writeBindingEdits } from '../../wrangler/write.ts'
import type { BindingsData, BindingsDone } from './data.ts'
import { reportBindings } from './report.ts'
import { workerScope } from './scope.ts'

/**
 * Worker bindings: the certificate's id written into the `mtls_certificates` bindings of the entry's
 * Wrangler files, which the workflow's deploy then carries to the Workers; the Workers those files
 * deploy keep an older certificate they still bind.
 */

export const WORKERS = 'workers'

export const workers: UseTarget<undefined, BindingsData> = {
  name: WORKERS,
  unfinished: 'writes its id into the Wrangler configuration',
  appliesTo: (entry) => entry.spec.wrangler !== undefined,
  observe: () => Promise.resolve(undefined),

  plan(entry, certificate: CertificateRef, _observed, context) {
    const configs = entry.spec.wrangler ?? []
    // Read again (the spec's checks read them): another step may have changed them since.
    const loaded = loadBindings(context.workspace, configs)
    const planned = planBindingEdits(loaded, isNew(certificate) ? NEW_CERTIFICATE_TEXT : certificate)
    const { scope, unnamed } = workerScope(loaded)
    return [
      {
        target: WORKERS,
        action: 'write-bindings',
        when: 'now',
        data: { configs, planned, scope: context.checkWorkers ? 'every' : scope, unnamed },
      },
    ]
  },

  apply(step: Step<BindingsData>, state, context): Promise<BindingsDone> {
    const edits = planBindingEdits(loadBindings(context.workspace, step.data.configs), placedOf(state).certificate.id)
    return Promise.resolve({ edits, written: writeBindingEdits(edits) })
  },

  report: (step, outcome) => reportBindings(step, outcome as BindingsDone | undefined),

  // check-workers reads every Worker before a delete, with Wrangler files or without; check-consumers
  // reads Pages and Hyperdrive too.
  retireGuard(_entry, steps: readonly Step<BindingsData>[], context) {
    const scope: WorkerScope = context.checkWorkers ? 'every' : (steps[0]?.data.scope ?? [])
    return checksConsumers(scope, context.consumers) ? { scope, consumers: context.consumers } : undefined
  },

  retireReads(saved, _newId, context) {
    const guard = savedGuard(saved)
    if (typeof guard === 'string') return guard
    const check = context.workerCheck(guard.scope, guard.consumers)
    return check ? { workers: check } : {}
  },
}
