import { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { actionInputs, trimmedInputs, type InputSource } from '../action/input-source.ts'
import { parseBoolean } from '../action/input-parsers.ts'
import { failStep, log } from '../action/log.ts'
import { registerSecretInputs } from '../action/secrets.ts'
import { InputError } from '../core/errors.ts'
import type { Report } from '../core/report.ts'
import { sharedWorkerChecks } from '../replace/workers.ts'
import { logLines } from '../render/log-lines.ts'
import { planCells } from '../render/plan-table.ts'
import type { StepSettings } from '../spec/settings.ts'
import { applyPlan } from './apply-plan.ts'
import { targetContext } from './context.ts'
import { entryReport } from './entry-report.ts'
import { makePlan, type CheckedEntry } from './make-plan.ts'
import { saveSteps } from './saved-steps.ts'
import { finishStep, type Finished } from './finish-step.ts'
import { readSpecs } from './specs.ts'
import { loadStores, storeNamed } from '../targets/registry.ts'
import { commentPlanFailure } from '../github/plan-failure.ts'

/**
 * The main step, one pipeline whatever the inputs: specs (a manifest's entries, or the inputs as one
 * entry) → observe → plan (a value) → render → apply (not in a dry run) → result → outputs, summary
 * and the pull request's comment.
 */
export async function runMainStep(dependencies: Dependencies): Promise<void> {
  const progress = { commented: false }
  const source = actionInputs()
  try {
    // Before anything is read or logged: an error about one input may quote another.
    registerSecretInputs(source)
    const specs = await readSpecs(source, dependencies.clock)
    if (!specs) return
    await loadStores(specs.entries.map((entry) => entry.spec.store))
    const options = stepOptions(source, specs.step)
    await finishStep(await runPipeline(specs.entries, specs.step, dependencies), {
      ...specs,
      ...options,
      source,
      now: new Date(dependencies.clock.now()),
      progress,
    })
  } catch (error) {
    // The pull request's comment says the plan failed, for this commit, unless it already holds this run's plan.
    if (!progress.commented) await commentPlanFailure(source, error, new Date(dependencies.clock.now()))
    failStep(error)
  } finally {
    await dependencies.http.close()
  }
}

function stepOptions(source: InputSource, step: StepSettings): { prComment: boolean; failOnChanges: boolean } {
  const read = trimmedInputs(source)
  const prComment = parseBoolean('pr-comment', read('pr-comment'), false)
  const failOnChanges = parseBoolean('fail-on-changes', read('fail-on-changes'), false)
  if (failOnChanges && !step.dryRun) {
    throw new InputError(
      "Input 'fail-on-changes' needs dry-run: true: it fails the step on a plan that holds changes, and a real run makes them. Set dry-run: true for a drift check, or remove fail-on-changes.",
    )
  }
  return { prComment, failOnChanges }
}

/** Observe, plan, and, unless it is a dry run, apply: each entry's report, and those that failed. */
async function runPipeline(
  entries: readonly CheckedEntry[],
  step: StepSettings,
  dependencies: Dependencies,
): Promise<Finished> {
  const api = new CloudflareApi(step, dependencies.http.send, dependencies.clock, log)
  if (step.dryRun) {
    log.info(
      `Dry run: reading what Cloudflare holds for account ${step.accountId} and its zones; nothing will be uploaded, changed or deleted.`,
    )
  }
  // One listing of the account store for every entry it holds; a real run of one certificate needs
  // none (its upload adopts what is there), nor does a step whose entries are all in other stores.
  const inStore = entries.filter((entry) => entry.spec.store === undefined).length
  const listing = inStore > 0 && (step.dryRun || entries.length > 1) ? await api.listCertificates() : undefined
  const context = targetContext(
    api,
    {
      now: new Date(dependencies.clock.now()),
      replaceWhen: step.replaceWhen,
      workspace: step.workspace,
      checkWorkers: step.checkWorkers,
      consumers: step.consumers,
      forecast: step.dryRun,
      workerCheck: sharedWorkerChecks(api),
    },
    listing,
  )
  const plan = await makePlan(entries, context)
  const failed: Finished['failed'] = plan.failed.map(({ entry, error }) => ({ entry, error }))
  const reports: Finished['reports'] = []
  if (step.dryRun) {
    for (const entry of plan.entries) reports.push({ entry, report: entryReport(entry, undefined, 'main') })
  } else {
    const done = await applyPlan(plan.entries, context, 'main')
    const tail = done.flatMap(({ entry, outcomes }) =>
      outcomes.flatMap((outcome, index) => storeNamed(entry.steps[index]?.target)?.tailOf(outcome) ?? []),
    )
    // One save for every entry's retire: the post step finishes them all.
    if (tail.length > 0) saveSteps(tail)
    for (const { entry, outcomes, error } of done) {
      reports.push({ entry, report: entryReport(entry, outcomes, 'main'), ...(error === undefined ? {} : { error }) })
      if (error !== undefined) failed.push({ entry, error })
    }
  }
  for (const { report } of reports) logReport(report)
  return { reports, failed, applied: !step.dryRun }
}

function logReport(report: Report): void {
  logLines(report.lines)
  for (const row of report.rows) log.info(`Plan: ${planCells(row).filter(Boolean).join(' · ')}`)
}
