import { hostnamesSection } from '../../api-shield/section.ts'
import type { Cell, PlanRow, Report, Section } from '../../core/report.ts'
import type { Step } from '../../plan/step.ts'
import type { Replacement, ReplaceOutcome } from '../../replace/policy.ts'
import { detachNote } from '../../replace/plan.ts'
import { actionCell, replacementLines } from '../../replace/replace-older.ts'
import type { RetireData, Retired } from './retire.ts'

/**
 * The retire step as the plan, the summary, the outputs and the log show it: a dry run's forecast,
 * the main step's (done now, or scheduled for the post step), or the post step's.
 */
export function reportRetire(step: Step<RetireData>, outcome: Retired | undefined, phase: 'main' | 'post'): Report {
  const done = outcome !== undefined
  const replace = outcome ? outcome.replace : step.data.forecast !== undefined
  const result: ReplaceOutcome = (outcome ? outcome.outcome : step.data.forecast) ?? {
    replacements: [],
    candidates: [],
  }
  if (!replace) return { rows: [], lines: [], sections: [], outputs: outputsOf(result) }
  const { name, id } = step.data.rotation
  const scheduled = step.when === 'end-of-job'
  const sections: Section[] = []
  if (phase === 'post') {
    sections.push({
      heading: [`Replace at the end of the job: certificates named ${name} older than `, { code: id ?? '' }],
      ...(result.replacements.length === 0
        ? { paragraphs: [['No older certificate with this name and CA flag was left.']] }
        : { table: replacementsTable(result.replacements) }),
    })
  } else if (scheduled && done) {
    const now: Cell[] = result.candidates.flatMap((c, i) => [...(i > 0 ? [', '] : []), { code: c }])
    sections.push({
      paragraphs: [
        [
          `Replace runs at the end of the job, once every other step has succeeded: it deletes the older certificates named ${name} that no service uses then`,
          ...(now.length > 0 ? [' (now: ', ...now, ').'] : [' (none now).']),
        ],
      ],
    })
  } else {
    const when = !done && scheduled ? ' (at the end of the job, as things stand now)' : ''
    sections.push(
      result.replacements.length === 0
        ? { paragraphs: [[`Replace${when}: no older certificate with this name and CA flag was found.`]] }
        : { heading: [`Other certificates named ${name}${when}`], table: replacementsTable(result.replacements) },
    )
  }
  sections.push(...releaseSections(result.replacements))
  return {
    rows: rowsOf(result, scheduled),
    lines: replacementLines(result.replacements),
    sections,
    outputs: outputsOf(result),
  }
}

function replacementsTable(replacements: readonly Replacement[]): NonNullable<Section['table']> {
  return {
    columns: ['ID', 'Uploaded on', 'Action', 'Why'],
    rows: replacements.map((r) => [{ code: r.id }, r.uploadedOn ?? '', actionCell(r), reasonCell(r)]),
  }
}

/** The older CAs' hostnames, in the zone's table that API Shield's attach starts. */
function releaseSections(replacements: readonly Replacement[]): Section[] {
  const zones = new Map<string, Cell[][]>()
  for (const r of replacements) {
    const release = r.hostnames
    if (!release?.zoneId) continue
    const rows = zones.get(release.zoneId) ?? []
    zones.set(release.zoneId, rows)
    const detach: Cell = { verb: 'detach', done: release.applied, rest: ' from the older CA' }
    for (const hostname of release.detach) rows.push([{ code: hostname }, detach, { code: r.id }])
    for (const hostname of release.keep)
      rows.push([{ code: hostname }, 'kept on the older CA: not given to this step', { code: r.id }])
  }
  return [...zones].map(([zoneId, rows]) => hostnamesSection(zoneId, rows))
}

function rowsOf(result: ReplaceOutcome, scheduled: boolean): PlanRow[] {
  const rows: PlanRow[] = []
  for (const r of result.replacements) {
    const detached = r.hostnames?.detach ?? []
    if (detached.length > 0) rows.push({ name: '', action: 'detach', id: r.id, hostnames: detached })
    if (r.action === 'deleted' || r.action === 'delete')
      rows.push({ name: '', action: 'retire', id: r.id, reason: r.reason })
    else if (r.action === 'kept' || r.action === 'not checked')
      rows.push({ name: '', action: 'keep', id: r.id, reason: r.reason })
  }
  // A dry run lists its candidates among the replacements too; a real run's are for the post step.
  const judged = new Set(result.replacements.map((r) => r.id))
  for (const id of result.candidates.filter((c) => !judged.has(c))) {
    rows.push({
      name: '',
      action: 'retire',
      id,
      reason: 'at the end of the job, if no service uses it then',
      ...(scheduled ? { when: 'end-of-job' as const } : {}),
    })
  }
  return rows
}

const outputsOf = (result: ReplaceOutcome): Record<string, string[]> => ({
  'replaced-ids': result.replacements.filter((r) => r.action === 'deleted').map((r) => r.id),
  'replace-candidates': result.candidates,
})

/** The reason, after what happened to the older CA's hostnames. */
const reasonCell = (r: Replacement): Cell[] => [...detachNote(r.hostnames), r.reason]
