import { NEW_CERTIFICATE_TEXT, isNew, type CertificateRef, type Step } from '../../plan/step.ts'
import { placedOf, type UseTarget } from '../../plan/target.ts'
import { checksConsumers, type WorkerScope } from '../../replace/workers.ts'
import { savedGuard } from './saved.ts'
import { loadBindings } from '../../wrangler/config.ts'
import { planBindingEdits } from '../../wrangler/edits.ts'
import { writeBindingEdits } from '../../wrangler/write.ts'
import type { BindingsData, BindingsDone, BindingsObserved } from './data.ts'
import { readServed } from './deployed.ts'
import { reportBindings } from './report.ts'
import { workerScope } from './scope.ts'
import { boundSections } from '../../wrangler/workers.ts'
import { deployedBinding } from '../../consumers/readers.ts'

/**
 * Worker bindings: the certificate's id written into the `mtls_certificates` bindings of the entry's
 * Wrangler files, which the workflow's deploy then carries to the Workers; the Workers those files
 * deploy keep an older certificate they still bind.
 */

export const WORKERS = 'workers'

export const workers: UseTarget<BindingsObserved, BindingsData> = {
  name: WORKERS,
  unfinished: 'writes its id into the Wrangler configuration',
  appliesTo: (entry) => entry.spec.wrangler !== undefined,
  // The files read again (the spec's checks read them: another step may have changed them since), and,
  // for a plan that is shown, what their Workers serve now.
  async observe(entry, _certificate, context) {
    const loaded = loadBindings(context.workspace, entry.spec.wrangler ?? [])
    if (!context.forecast) return { loaded }
    return { loaded, served: await readServed(context.api, boundSections(loaded)) }
  },

  plan(entry, certificate: CertificateRef, { loaded, served }, context) {
    const configs = entry.spec.wrangler ?? []
    const planned = planBindingEdits(loaded, isNew(certificate) ? NEW_CERTIFICATE_TEXT : certificate)
    const { scope, unnamed } = workerScope(loaded)
    const sections = boundSections(loaded).map((section) => {
      const now = section.worker === undefined ? undefined : served?.[section.worker]?.[section.binding]
      return now ? { ...section, served: now } : section
    })
    const data = { configs, planned, scope: context.checkWorkers ? 'every' : scope, unnamed, sections } as const
    return [{ target: WORKERS, action: 'write-bindings', when: 'now', data }]
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
    if (!checksConsumers(scope, context.consumers)) return undefined
    // The bindings the workflow's deploy moves to the new certificate, for a forecast of the end of the job.
    const moved = (steps[0]?.data.sections ?? []).flatMap((s) =>
      s.worker ? [deployedBinding(s.worker, s.binding)] : [],
    )
    return { scope, consumers: context.consumers, ...(moved.length > 0 ? { moved } : {}) }
  },

  retireReads(saved, _newId, context) {
    const guard = savedGuard(saved)
    if (typeof guard === 'string') return guard
    const check = context.workerCheck(guard.scope, guard.consumers)
    // Only a forecast of a retire at the end of the job counts on the deploy: the post step reads afresh.
    const movedByDeploy = context.forecast && context.replaceWhen === 'end-of-job' ? new Set(guard.moved) : undefined
    return { ...(check ? { workers: check } : {}), ...(movedByDeploy ? { movedByDeploy } : {}) }
  },
}
