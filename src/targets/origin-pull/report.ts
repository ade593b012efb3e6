import type { OriginPullStep } from '../../origin-pull/plan.ts'
import { outcomeLines, type PlanRow, type Report, type Section } from '../../core/report.ts'
import type { EntryPlan, EntrySteps, Step } from '../../plan/step.ts'
import { placementOutputs } from '../../plan/store-steps.ts'
import {
  storeText,
  type OriginPullDone,
  type OriginPullMoveData,
  type OriginPullPlaceData,
  type OriginPullRetireData,
} from './data.ts'

/** Origin pulls' steps as the plan, the summary, the outputs and the log show them, planned or done. */

export function reportOriginPull(
  step: Step,
  outcome: OriginPullDone | undefined,
  entry: EntrySteps,
  phase: 'main' | 'post',
): Report {
  const lines = outcomeLines(outcome)
  if (step.action === 'place') {
    const data = step.data as OriginPullPlaceData
    const store = storeText(data.zoneId, data.hostnames)
    const id = outcome?.id === undefined ? {} : { id: outcome.id }
    const rows = [
      ...data.steps.map((one) => placeRow(one, id, store, false)),
      ...data.notes.map((reason): PlanRow => ({ name: '', action: 'note', store, reason })),
    ]
    return { rows, sections: [], lines, outputs: placeOutputs(data, outcome, entry) }
  }
  if (step.action === 'move') {
    const data = step.data as OriginPullMoveData
    const store = storeText(data.zoneId, data.hostnames)
    const known = outcome?.id ?? data.reused
    const id = known === undefined ? {} : { id: known }
    return {
      rows: data.steps.map((one) => placeRow(one, id, store, outcome !== undefined)),
      sections: [],
      lines,
      outputs: {},
    }
  }
  const data = step.data as OriginPullRetireData
  const store = storeText(data.zoneId, data.hostnames)
  const carried = outcome !== undefined && (phase === 'post' || (step.when === 'now' && !outcome.tail))
  const rows = data.steps.map((planned): PlanRow => {
    const id = 'id' in planned ? planned.id : undefined
    const kept = carried && id !== undefined && !outcome.deleted.includes(id)
    if (planned.action === 'keep' || kept) {
      const why = planned.action === 'keep' ? planned.reason : 'not deleted: see the warning'
      return { name: '', action: 'keep', store, ...(id ? { id } : {}), reason: why }
    }
    return {
      name: '',
      action: 'retire',
      store,
      ...(id ? { id } : {}),
      reason: `${'reason' in planned ? planned.reason : ''}; deleted once the new one is active`,
      ...(step.when === 'end-of-job' && !carried ? { when: 'end-of-job' as const } : {}),
    }
  })
  const scheduled = outcome?.tail ? data.steps.flatMap((s) => (s.action === 'retire' ? [s.id] : [])) : []
  // Per hostname, the old certificate is found through the hostnames only, and they point at the new
  // one by now: should the post step not run, no later run (nor the drift check) finds it again.
  if (phase === 'main' && data.hostnames.length > 0 && scheduled.length > 0)
    lines.push({
      level: 'notice',
      parts: [
        `Origin pull ${scheduled.length === 1 ? 'certificate' : 'certificates'} ${scheduled.join(', ')} will be deleted at the end of the job, once every other step has succeeded. If the job fails or is cancelled before then, no later run finds ${scheduled.length === 1 ? 'it' : 'them'} (none of the entry's hostnames points at ${scheduled.length === 1 ? 'it' : 'them'} any more): delete ${scheduled.length === 1 ? 'it' : 'them'} by hand (SSL/TLS → Origin Server), or set replace-when: immediately.`,
      ],
    })
  return {
    rows,
    sections: phase === 'post' && outcome ? [postSection(data, rows, store)] : [],
    lines,
    outputs: { 'replaced-ids': outcome?.deleted ?? [], 'replace-candidates': scheduled },
  }
}

/** The post step's part of the job summary: which replaced certificates it deleted or kept, and why. */
function postSection(data: OriginPullRetireData, rows: readonly PlanRow[], store: string): Section {
  return {
    heading: ['Replace at the end of the job: ', store, ', replaced by ', { code: data.rotation.id ?? '' }],
    table: {
      columns: ['ID', 'Action', 'Why'],
      rows: rows.map((row) => [
        { code: row.id ?? '' },
        row.action === 'retire' ? 'deleted' : 'kept',
        (row.reason ?? '').replace('; deleted once the new one is active', ''),
      ]),
    },
  }
}

/** One step's row; `done`: carried out (a wait then says what it found, not what it waits for). */
function placeRow(step: OriginPullStep, id: { id?: string }, store: string, done: boolean): PlanRow {
  switch (step.action) {
    case 'upload':
      return { name: '', action: 'upload', store, ...id }
    case 'reuse':
      return { name: '', action: 'reuse', store, id: step.id, reason: 'same certificate already in origin pulls' }
    case 'attach':
      return { name: '', action: 'attach', store, ...id, hostnames: [...step.hostnames] }
    case 'wait':
      return {
        name: '',
        action: 'note',
        store,
        ...id,
        ...(step.hostnames.length > 0 ? { hostnames: [...step.hostnames] } : {}),
        reason: done
          ? 'Cloudflare reads it active'
          : 'waits until Cloudflare reads it active, before anything is retired',
      }
    default:
      return { name: '', action: 'note', store, reason: `${step.action} ${'id' in step ? step.id : ''}` }
  }
}

/** The single step's outputs: the certificate's id in the zone (once known) and the local certificate's facts. */
function placeOutputs(
  data: OriginPullPlaceData,
  outcome: OriginPullDone | undefined,
  entry: EntrySteps,
): Report['outputs'] {
  const reuse = data.steps.find((step) => step.action === 'reuse')
  const id = outcome?.id ?? (reuse?.action === 'reuse' ? reuse.id : '')
  const uploadedOn = outcome?.uploadedOn ?? (reuse?.action === 'reuse' ? reuse.uploadedOn : undefined) ?? ''
  if (!('spec' in entry)) return { 'certificate-id': id }
  const created = outcome?.uploaded ?? false
  return placementOutputs(entry as EntryPlan, { id, uploadedOn, created, ca: false, hostnames: data.hostnames })
}
