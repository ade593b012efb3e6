import type { InputSource } from '../action/input-source.ts'
import { log } from '../action/log.ts'
import { setOutputs } from '../action/outputs.ts'
import { writeSummary } from '../action/job-summary.ts'
import { githubRunContext } from '../action/run-context.ts'
import { OperationError, errorMessage } from '../core/errors.ts'
import { CHANGE_ACTIONS, type PlanRow, type Report } from '../core/report.ts'
import { plural } from '../core/text.ts'
import { postPlanComment } from '../github/pr-comment.ts'
import type { EntryPlan } from '../plan/step.ts'
import { countChanges, planCells } from '../render/plan-table.ts'
import { manifestSummary, singleSummary } from '../render/summary.ts'
import type { CheckedEntry } from './make-plan.ts'
import { certificatesOutput, singleOutputs, writtenConfigs } from './step-outputs.ts'
import type { Specs } from './specs.ts'

/** What the pipeline leaves: each entry's report (planned, or as applied), and the entries that failed. */
export interface Finished {
  reports: { entry: EntryPlan; report: Report; error?: unknown }[]
  failed: { entry: CheckedEntry; error: unknown }[]
  applied: boolean
}

/**
 * The result out: the outputs (the single step's as a projection of its one entry), the job summary,
 * the pull request's comment; then the step fails for an entry that failed, or, with fail-on-changes,
 * for a plan that holds changes.
 */
export async function finishStep(
  finished: Finished,
  options: Specs & {
    source: InputSource
    prComment: boolean
    failOnChanges: boolean
    now: Date
    progress: { commented: boolean }
  },
): Promise<void> {
  const { manifest, step, source } = options
  const rows = finished.reports.flatMap(({ report }) => report.rows)
  const changes = countChanges(rows)
  const plan = { plan: JSON.stringify(rows), changes: String(changes) }
  const single = !manifest
  const [first] = finished.reports
  if (single) {
    // Nothing placed, nothing to say: a failure before the certificate is in the account sets no output.
    if (first && first.report.outputs['certificate-id'] !== undefined) {
      setOutputs({ ...singleOutputs(first.report, first.error !== undefined), ...plan })
    }
    const [failure] = finished.failed
    if (failure) throw failure.error
    if (first) {
      const facts = { daysLeft: first.entry.checked.facts.daysLeft, applied: finished.applied }
      await writeSummary(singleSummary(first.report, facts, await githubRunContext()))
    }
  } else {
    setOutputs({
      certificates: JSON.stringify(certificatesOutput(finished.reports)),
      'wrangler-configs': JSON.stringify(writtenConfigs(finished.reports)),
      ...plan,
    })
    const failed = finished.failed.map(({ entry, error }) => ({ name: entry.name, error }))
    for (const { name, error } of failed) log.warning(`Manifest entry '${name}' failed: ${errorMessage(error)}`)
    await writeSummary(manifestSummary(manifest, step.dryRun, rows, failed))
  }
  if (options.prComment) {
    await postPlanComment({
      rows,
      failed: finished.failed.map(({ entry, error }) => ({
        name: entry.name,
        ...(entry.line === undefined ? {} : { line: entry.line }),
        message: errorMessage(error),
      })),
      manifestPath: manifest || 'inputs',
      token: source.input('github-token'),
      signal: AbortSignal.timeout(step.timeoutSeconds * 1000),
      event: options.event,
      now: options.now,
    })
    options.progress.commented = true
  }
  if (finished.failed.length > 0) {
    const each = finished.failed.map(
      ({ entry, error }) => `'${entry.name}' (line ${entry.line ?? 0}): ${errorMessage(error).replace(/\.$/, '')}`,
    )
    throw new OperationError(
      `Manifest ${finished.failed.length === 1 ? 'entry' : 'entries'} failed (${finished.failed.length} of ${entryCount(finished)}): ${each.join('; ')}. ${finished.applied ? 'The others are done and in the outputs' : 'The others are planned'}; fix the failed ones and re-run, which reuses what is in place.`,
    )
  }
  if (options.failOnChanges && changes > 0) {
    const each = rows
      .filter((row) => CHANGE_ACTIONS.has(row.action))
      .map((row) => `${planCells(row).filter(Boolean).join(' ')} (fix: ${fixOf(row)})`)
    throw new OperationError(
      `The account differs from the manifest (fail-on-changes): ${plural(changes, 'change')} planned: ${each.join('; ')}.`,
    )
  }
}

/** Every entry once: those planned (applied or not), and those whose plan failed; names are unique. */
const entryCount = ({ reports, failed }: Finished): number =>
  new Set([...reports, ...failed].map(({ entry }) => entry.name)).size

/** What makes the account match the manifest again, for one difference. */
function fixOf(row: PlanRow): string {
  if (row.action === 'deploy') {
    return row.oldId === undefined
      ? 'give the token "Account → Workers Scripts → Read", so that the check can read what the Worker serves'
      : `deploy Worker ${row.worker ?? ''} (wrangler deploy with the written file)`
  }
  if (row.action === 'rename')
    return `rename ${row.id ?? 'it'} in the dashboard to the entry's name, or delete it and apply the manifest`
  if (row.action === 'retire')
    return 'apply the manifest (a run without dry-run), whose post step retires it once nothing uses it'
  return 'apply the manifest (a run without dry-run), or change the manifest to match the account'
}
