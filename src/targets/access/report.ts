import { ownerText } from '../../cloudflare/access/client.ts'
import type { AccessStep } from '../../access/plan.ts'
import { outcomeLines, type Cell, type PlanRow, type Report, type Section } from '../../core/report.ts'
import type { EntryPlan, EntrySteps, Step } from '../../plan/step.ts'
import { placementOutputs } from '../../plan/store-steps.ts'
import { idOf, type AccessDone, type AccessMoveData, type AccessPlaceData, type AccessRetireData } from './data.ts'

/** Access's steps as the plan, the summary, the outputs and the log show them, planned or done. */

export function reportAccess(
  step: Step,
  outcome: AccessDone | undefined,
  entry: EntrySteps,
  phase: 'main' | 'post',
): Report {
  const lines = outcomeLines(outcome)
  if (step.action === 'place') {
    const data = step.data as AccessPlaceData
    const store = `Access, ${ownerText(data.owner)}`
    const rows = stepRows(data.steps, knownId(data.steps, outcome), store)
    return { rows, sections: [], lines, outputs: placeOutputs(data, outcome, entry) }
  }
  if (step.action === 'move') {
    const data = step.data as AccessMoveData
    const store = `Access, ${ownerText(data.owner)}`
    const id = outcome?.id ?? data.reused
    const rows = moveRows(data, id === undefined ? {} : { id }, store, outcome === undefined)
    return { rows, sections: [], lines, outputs: {} }
  }
  const data = step.data as AccessRetireData
  const store = `Access, ${ownerText(data.owner)}`
  // Carried out now (the main step's `now`, or the post step): what the outcome says was deleted or kept.
  const carried = outcome !== undefined && (phase === 'post' || (step.when === 'now' && !outcome.tail))
  const rows = data.steps.map((planned): PlanRow => {
    const id = idOf(planned)
    const done = carried ? outcome.retired.find((r) => r.id === id) : undefined
    if (planned.action === 'keep' || done?.outcome === 'kept') {
      const reason = done?.outcome === 'kept' ? done.reason : planned.action === 'keep' ? planned.reason : ''
      return { name: '', action: 'keep', store, ...(id ? { id } : {}), reason }
    }
    return {
      name: '',
      action: 'retire',
      store,
      ...(id ? { id } : {}),
      reason: 'detached, then deleted once Cloudflare reads it without hostnames',
      ...(step.when === 'end-of-job' && !carried ? { when: 'end-of-job' as const } : {}),
    }
  })
  const deleted = outcome?.retired.flatMap((r) => (r.outcome === 'deleted' ? [r.id] : [])) ?? []
  const scheduled = outcome?.tail ? data.steps.flatMap((s) => (s.action === 'retire' ? [s.id] : [])) : []
  // The post step shows nothing but its sections: without one, its summary would not say what it deleted.
  const sections = phase === 'post' && outcome ? [postSection(data, outcome)] : []
  return { rows, sections, lines, outputs: { 'replaced-ids': deleted, 'replace-candidates': scheduled } }
}

/** The post step's summary: each old CA, deleted or kept (and why), under the CA that replaced it. */
function postSection(data: AccessRetireData, outcome: AccessDone): Section {
  const rows = data.steps.map((planned): Cell[] => {
    const id = idOf(planned) ?? ''
    const done = outcome.retired.find((r) => r.id === id)
    if (done?.outcome === 'deleted')
      return [{ code: id }, { verb: 'delete', done: true }, 'detached, and deleted once it read without hostnames']
    const why = done?.outcome === 'kept' ? done.reason : planned.action === 'keep' ? planned.reason : ''
    return [{ code: id }, 'kept', why]
  })
  return {
    heading: [
      `Replace at the end of the job: Access CAs named ${data.rotation.name} in ${ownerText(data.owner)}, replaced by `,
      { code: data.rotation.id ?? '' },
    ],
    table: { columns: ['ID', 'Action', 'Why'], rows },
  }
}

/** The CA's id: the upload's once done, the reused one's from the plan. */
function knownId(steps: readonly AccessStep[], outcome: AccessDone | undefined): { id?: string } {
  const reused = steps.find((step) => step.action === 'reuse')
  const known = outcome?.id ?? (reused?.action === 'reuse' ? reused.id : undefined)
  return known === undefined ? {} : { id: known }
}

function stepRows(steps: readonly AccessStep[], id: { id?: string }, store: string): PlanRow[] {
  return steps.flatMap((step: AccessStep): PlanRow | PlanRow[] => {
    switch (step.action) {
      case 'upload':
        return { name: '', action: 'upload', store, ...id, ...hostnamesOf(step.hostnames) }
      case 'reuse':
        return { name: '', action: 'reuse', store, id: step.id, reason: 'same CA already in Access' }
      case 'attach': {
        const attach: PlanRow = { name: '', action: 'attach', store, ...id, ...hostnamesOf(step.hostnames) }
        if (!step.drops) return attach
        // Setting the CA's whole list takes off what it held beyond the entry's: said, not hidden in the attach.
        const reason = 'not in the entry: this run gives them to no other CA'
        return [attach, { name: '', action: 'detach', store, ...id, ...hostnamesOf(step.drops), reason }]
      }
      case 'detach':
        return {
          name: '',
          action: 'detach',
          store,
          id: step.id,
          ...hostnamesOf(step.removed),
          reason: step.gap ? 'swap: detach-first, before the attach: no CA in between' : 'moved to the new CA',
        }
      default:
        return { name: '', action: 'note', store, reason: `${step.action} ${idOf(step) ?? ''}` }
    }
  })
}

/** Said with a plan that moves hostnames off an old CA while it still holds them (make before break). */
export const SHARED_HOSTNAME_CAVEAT =
  'the new CA gets these hostnames while the old CA still holds them: if Cloudflare refuses a hostname on two Access CAs, the step fails there and the old CA keeps serving; swap: detach-first moves them with a gap instead'

function moveRows(data: AccessMoveData, id: { id?: string }, store: string, planned: boolean): PlanRow[] {
  const rows = stepRows(data.steps, id, store)
  const moving = data.steps.some((step) => step.action === 'detach' && !step.gap)
  // A reviewer learns before the merge what Cloudflare may refuse, and the way around it.
  if (!data.gap)
    return planned && moving ? [{ name: '', action: 'note', store, reason: SHARED_HOSTNAME_CAVEAT }, ...rows] : rows
  // The gap is said before the detach that opens it: a reviewer reads the warning before the steps.
  const detach = rows.findIndex((row) => row.action === 'detach')
  const at = detach < 0 ? rows.length : detach
  return [...rows.slice(0, at), { name: '', action: 'note', store, reason: data.gap }, ...rows.slice(at)]
}

const hostnamesOf = (hostnames: readonly string[]): { hostnames?: string[] } =>
  hostnames.length > 0 ? { hostnames: [...hostnames] } : {}

/** The single step's outputs: the CA's id in Access (once known) and the local certificate's facts. */
function placeOutputs(data: AccessPlaceData, outcome: AccessDone | undefined, entry: EntrySteps): Report['outputs'] {
  const reuse = data.steps.find((step) => step.action === 'reuse')
  const id = outcome?.id ?? (reuse?.action === 'reuse' ? reuse.id : '')
  const uploadedOn = outcome?.uploadedOn ?? (reuse?.action === 'reuse' ? reuse.uploadedOn : undefined) ?? ''
  if (!('spec' in entry)) return { 'certificate-id': id, 'uploaded-on': uploadedOn }
  const plan = entry as EntryPlan
  const hostnames = plan.spec.storeScope?.hostnames ?? []
  return placementOutputs(plan, { id, uploadedOn, created: outcome?.uploaded ?? false, ca: true, hostnames })
}
