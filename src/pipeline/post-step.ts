import { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { getApiSettings } from '../spec/api-settings.ts'
import { errorMessage } from '../core/errors.ts'
import { endSentence } from '../core/text.ts'
import { actionInputs } from '../action/input-source.ts'
import { writeSummary } from '../action/job-summary.ts'
import { log } from '../action/log.ts'
import { registerSecretInputs } from '../action/secrets.ts'
import type { Step } from '../plan/step.ts'
import { NO_OTHER_CONSUMERS } from '../consumers/scope.ts'
import { sharedWorkerChecks } from '../replace/workers.ts'
import { logLines } from '../render/log-lines.ts'
import { postFailure, postSummary } from '../render/summary.ts'
import { applyPlan } from './apply-plan.ts'
import { targetContext } from './context.ts'
import { entryReport } from './entry-report.ts'
import { loadSteps } from './saved-steps.ts'

/**
 * The post step: the tail the main step saved (its retire steps for the end of the job) carried out
 * with the same apply, after every other step of the job has succeeded (action.yml's `post-if:
 * success()`), so that the workflow's deploy has moved off the old certificate first. It reads the
 * step-wide API inputs again (no certificate input), and never fails the job: the new certificates
 * are in place, and anything left is a warning.
 */
export async function runPostStep(dependencies: Dependencies): Promise<void> {
  const source = actionInputs()
  try {
    registerSecretInputs(source)
    const steps = await stepsToFinish()
    if (!steps) return
    const api = new CloudflareApi(getApiSettings(source), dependencies.http.send, dependencies.clock, log)
    const context = targetContext(
      api,
      {
        now: new Date(dependencies.clock.now()),
        replaceWhen: 'end-of-job',
        workspace: '',
        checkWorkers: false,
        // Each saved step names its own consumers.
        consumers: NO_OTHER_CONSUMERS,
        forecast: false,
        // The Workers of a scope are read once for every step that checks them, on first need.
        workerCheck: sharedWorkerChecks(api),
      },
      undefined,
    )
    const entries = steps.map((step) => ({ name: nameOf(step), steps: [step] }))
    const done = await applyPlan(entries, context, 'post')
    const sections: string[] = []
    for (const [index, { entry, outcomes, error }] of done.entries()) {
      if (error === undefined) {
        const report = entryReport(entry, outcomes, 'post')
        logLines(report.lines)
        sections.push(postSummary([report]))
        continue
      }
      const step = entry.steps[0] as Step<{ rotation: { id: string; name: string } }>
      const { id, name } = step.data.rotation
      const which = done.length === 1 ? '' : ` rotation ${index + 1} of ${done.length} (${id})`
      log.warning(
        `Replace at the end of the job could not finish${which}: ${endSentence(errorMessage(error))} The new certificate is in place; the older ones it replaces (of '${name}') are left as they were.`,
      )
      sections.push(postFailure(name, id, errorMessage(error)))
    }
    await writeSummary(sections.join(''))
  } catch (error) {
    log.warning(
      `Replace at the end of the job could not finish: ${errorMessage(error)}. The new certificate is in place; the older ones it replaces are left as they were.`,
    )
  } finally {
    await dependencies.http.close()
  }
}

/** The saved steps, when there are any it can trust; says why not otherwise. */
async function stepsToFinish(): Promise<Step[] | undefined> {
  const saved = await loadSteps()
  if (!saved) {
    log.info('Nothing to replace: the main step scheduled no replace for the end of the job.')
    return undefined
  }
  if ('problem' in saved) {
    log.warning(
      `Replace at the end of the job deletes nothing: the rotation the main step saved for it cannot be trusted (${saved.problem}). The new certificate is in place; delete the older ones it replaces by hand, or re-run the job.`,
    )
    return undefined
  }
  return saved.steps
}

const nameOf = (step: Step): string => (step.data as { rotation: { name: string } }).rotation.name
