import { CloudflareApi } from '../cloudflare/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { hasCredentials } from '../cloudflare/settings.ts'
import { actionInputs, trimmedInputs, type InputSource } from '../action/input-source.ts'
import { parseBoolean } from '../action/input-parsers.ts'
import { failStep, log } from '../action/log.ts'
import { setOutputs } from '../action/outputs.ts'
import { registerSecretInputs } from '../action/secrets.ts'
import { writeSummary } from '../action/job-summary.ts'
import { settleConcurrently } from '../core/concurrency.ts'
import { InputError, OperationError, errorMessage } from '../core/errors.ts'
import { escapeForSummary } from '../core/html.ts'
import { plural } from '../core/text.ts'
import { saveRotations } from '../replace/saved-rotation.ts'
import { applyCertificate, PlacedButUnfinished } from '../upload/apply.ts'
import { logDryRun, planCertificate } from '../upload/dry-run.ts'
import type { CertificateResult } from '../upload/result.ts'
import { getStepSettings, readReplace, type StepSettings } from '../upload/settings.ts'
import { sharedWorkerChecks } from '../upload/wrangler.ts'
import { logChecks } from '../upload/step.ts'
import { countChanges, planCells, renderPlanHtml, renderPlanMarkdown, type PlanRow } from './plan.ts'
import { certificateOutput, planRows, type CertificateOutput } from './plan-rows.ts'
import { postPlanComment } from './pr-comment.ts'
import { manifestInput } from './inputs.ts'
import { forkWithoutSecrets, runEventOf } from './pull-request.ts'
import { readManifest, type ManifestEntry } from './read.ts'

/** Uploads at most this many certificates at once: Cloudflare's API is shared with the rest of the account. */
export const MAX_CONCURRENT_ENTRIES = 4

/**
 * The manifest step: the manifest read and checked, the account listed once for every entry, each
 * entry applied (or planned, in a dry run) with that listing, then one plan for the log, the summary,
 * the outputs and the pull request. An entry that fails does not stop the others: the step fails at
 * the end naming each.
 */
export async function runManifest(dependencies: Dependencies): Promise<void> {
  try {
    const source = actionInputs()
    // Before anything is read or logged: an error about one input may quote another.
    registerSecretInputs(source)
    await manifestStep(source, dependencies)
  } catch (error) {
    failStep(error)
  } finally {
    await dependencies.http.close()
  }
}

async function manifestStep(source: InputSource, dependencies: Dependencies): Promise<void> {
  const read = trimmedInputs(source)
  const manifest = manifestInput(source)
  const event = runEventOf(source.env)
  const fork = forkWithoutSecrets(event, !hasCredentials(source))
  if (fork) {
    // Nothing to read the account with: said plainly, and the step passes rather than fail every fork's run.
    log.notice(`The manifest's plan is not made: ${fork}.`)
    await writeSummary(
      `<h2>mTLS certificates: ${escapeForSummary(manifest)}</h2>\n<p>No plan: ${escapeForSummary(fork)}.</p>\n`,
    )
    return
  }
  const step = getStepSettings(source)
  const prComment = parseBoolean('pr-comment', read('pr-comment'), false)
  const failOnChanges = parseBoolean('fail-on-changes', read('fail-on-changes'), false)
  if (failOnChanges && !step.dryRun) {
    throw new InputError(
      "Input 'fail-on-changes' needs dry-run: true: it fails the step on a plan that holds changes, and a real run makes them. Set dry-run: true for a drift check, or remove fail-on-changes.",
    )
  }
  const now = new Date(dependencies.clock.now())
  const entries = readManifest(manifest, {
    workspace: step.workspace,
    env: source.env,
    replace: readReplace(source),
    now,
    expiryWarningDays: step.expiryWarningDays,
  })
  for (const entry of entries) logChecks(entry.checked)
  const api = new CloudflareApi(step, dependencies.http.send, dependencies.clock)
  const run = await runEntries(api, entries, step, now)

  const rows = run.done.flatMap(({ entry, result }) => planRows(entry.name, result))
  for (const row of rows) log.info(`Plan: ${planCells(row).filter(Boolean).join(' · ')}`)
  const changes = countChanges(rows)
  setOutputs({
    certificates: JSON.stringify(Object.fromEntries(run.outputs) satisfies Record<string, CertificateOutput>),
    plan: JSON.stringify(rows),
    changes: String(changes),
  })
  await writeSummary(summaryOf(manifest, step, rows, run.failed))
  if (prComment) {
    await postPlanComment({
      body: renderPlanMarkdown(rows, manifest),
      manifestPath: manifest,
      token: source.input('github-token'),
      signal: AbortSignal.timeout(step.timeoutSeconds * 1000),
      event,
    })
  }
  if (run.failed.length > 0) {
    const each = run.failed.map(
      ({ entry, error }) => `'${entry.name}' (line ${entry.line}): ${errorMessage(error).replace(/\.$/, '')}`,
    )
    throw new OperationError(
      `Manifest ${run.failed.length === 1 ? 'entry' : 'entries'} failed (${run.failed.length} of ${entries.length}): ${each.join('; ')}. The others are done and in the outputs; fix the failed ones and re-run, which reuses what is in place.`,
    )
  }
  if (failOnChanges && changes > 0) {
    const each = rows
      .filter((row) => row.action !== 'reuse' && row.action !== 'keep')
      .map((row) => planCells(row).filter(Boolean).join(' '))
    throw new OperationError(
      `The account differs from the manifest (fail-on-changes): ${plural(changes, 'change')} planned: ${each.join('; ')}. Apply the manifest (a run without dry-run), or change it to match the account.`,
    )
  }
}

interface EntriesRun {
  done: { entry: ManifestEntry; result: CertificateResult }[]
  failed: { entry: ManifestEntry; error: unknown }[]
  /** The `certificates` output, in the manifest's order: the entries done, and those placed but not finished. */
  outputs: [string, CertificateOutput][]
}

/** Every entry with one listing of the account; one failing leaves the others to finish. */
async function runEntries(
  api: CloudflareApi,
  entries: readonly ManifestEntry[],
  step: StepSettings,
  now: Date,
): Promise<EntriesRun> {
  if (step.dryRun) logDryRun(step.accountId)
  const listing = await api.listCertificates()
  const options = {
    now,
    replaceWhen: step.replaceWhen,
    listing,
    workspace: step.workspace,
    checkWorkers: step.checkWorkers,
    consumers: step.consumers,
    // The Workers are read once for the step, not once per entry.
    workerCheck: sharedWorkerChecks(api, step.consumers),
  }
  const settled = await settleConcurrently(entries, MAX_CONCURRENT_ENTRIES, (entry) =>
    step.dryRun
      ? planCertificate(api, entry.spec, entry.checked, options)
      : applyCertificate(api, entry.spec, entry.checked, options),
  )
  const run: EntriesRun = { done: [], failed: [], outputs: [] }
  settled.forEach((outcome, index) => {
    const entry = entries[index] as ManifestEntry
    if (outcome.status === 'fulfilled') {
      run.done.push({ entry, result: outcome.value })
      run.outputs.push([entry.name, certificateOutput(outcome.value)])
    } else {
      log.warning(`Manifest entry '${entry.name}' failed: ${errorMessage(outcome.reason)}`)
      run.failed.push({ entry, error: outcome.reason })
      // In the account, its work unfinished: its id is output, as the single step's certificate-id is.
      if (outcome.reason instanceof PlacedButUnfinished)
        run.outputs.push([entry.name, certificateOutput(outcome.reason.placed)])
    }
  })
  // One save for every entry's rotation: the post step finishes them all.
  const rotations = run.done.flatMap(({ result }) => (result.rotation ? [result.rotation] : []))
  if (rotations.length > 0) saveRotations(rotations)
  return run
}

function summaryOf(
  manifest: string,
  step: StepSettings,
  rows: readonly PlanRow[],
  failed: EntriesRun['failed'],
): string {
  const parts = [
    `<h2>mTLS certificates${step.dryRun ? ' (dry run)' : ''}: ${escapeForSummary(manifest)}</h2>`,
    renderPlanHtml(rows),
  ]
  if (failed.length > 0) {
    const items = failed.map(
      ({ entry, error }) =>
        `<li><code>${escapeForSummary(entry.name)}</code>: ${escapeForSummary(errorMessage(error))}</li>`,
    )
    parts.push(`<p>Failed:</p>\n<ul>\n${items.join('\n')}\n</ul>`)
  }
  return `${parts.join('\n')}\n`
}
