import { emptyReport, type Report } from '../core/report.ts'
import type { EntrySteps } from '../plan/step.ts'
import { storeNamed, useTarget } from '../targets/registry.ts'

/**
 * One entry's report: each step's, as its target words it in neutral terms, planned (`outcomes`
 * undefined: a dry run) or as apply left it (steps not reached are left out), its rows named for the
 * entry. The renderer turns it into the log, the summary, the comment and the outputs.
 */
export function entryReport(
  entry: EntrySteps,
  outcomes: readonly unknown[] | undefined,
  phase: 'main' | 'post',
): Report {
  const report = emptyReport()
  const placed = outcomes?.[0] as { certificate?: { id: string } } | undefined
  const first = entry.steps[0]
  const planned = first?.action === 'place' ? storeNamed(first.target)?.certificateOf(first) : undefined
  const certificateId = placed?.certificate?.id ?? (typeof planned === 'string' ? planned : undefined)
  entry.steps.forEach((step, index) => {
    if (outcomes && index >= outcomes.length) return
    const outcome = outcomes?.[index]
    const store = storeNamed(step.target)
    const part = store
      ? store.report(step, outcome, entry, phase)
      : useTarget(step.target).report(step, outcome, certificateId)
    report.rows.push(...part.rows.map((row) => ({ ...row, name: entry.name })))
    report.sections.push(...part.sections)
    report.lines.push(...part.lines)
    Object.assign(report.outputs, part.outputs)
  })
  return report
}
