import type { CheckedCertificate } from '../certificate/check.ts'
import { subjectOf } from '../certificate/facts.ts'
import { CloudflareApi } from '../cloudflare/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { actionInputs } from '../action/input-source.ts'
import { failStep, log } from '../action/log.ts'
import { setOutputs } from '../action/outputs.ts'
import { buildOutputs } from './outputs.ts'
import { saveRotations } from '../replace/saved-rotation.ts'
import { checkAndMask } from './check.ts'
import { getSettings, type Settings, type StepSettings } from './settings.ts'
import { githubRunContext } from '../action/run-context.ts'
import { writeSummary } from '../action/job-summary.ts'
import { renderSummary, type RunReport } from './summary.ts'
import { plural } from '../core/text.ts'
import { applyCertificate, PlacedButUnfinished } from './apply.ts'
import { logDryRun, planCertificate } from './dry-run.ts'
import type { CertificateResult } from './result.ts'
/** The main step: inputs → settings → checked certificate → Cloudflare → outputs and summary. */
export async function runUpload(dependencies: Dependencies): Promise<void> {
  try {
    const settings = getSettings(actionInputs())
    const now = new Date(dependencies.clock.now())
    const checked = checkAndMask(settings.certificate, { now, expiryWarningDays: settings.step.expiryWarningDays })
    logChecks(checked)
    const api = new CloudflareApi(settings.step, dependencies.http.send, dependencies.clock)
    const report = await upload(api, settings, checked, now)
    setOutputs(report.outputs)
    await writeSummary(renderSummary(report, await githubRunContext()))
  } catch (error) {
    failStep(error)
  } finally {
    await dependencies.http.close()
  }
}

/**
 * The step's one choice between plan-only and apply: a dry run lists the account and plans (every
 * request a read); a real run carries the spec out. Both give the result the outputs and summary are
 * made from.
 */
async function upload(
  api: CloudflareApi,
  settings: Settings,
  checked: CheckedCertificate,
  now: Date,
): Promise<RunReport> {
  const { step, certificate: spec } = settings
  const options = {
    now,
    replaceWhen: step.replaceWhen,
    workspace: step.workspace,
    checkWorkers: step.checkWorkers,
    consumers: step.consumers,
  }
  let result: CertificateResult
  if (step.dryRun) {
    logDryRun(step.accountId)
    result = await planCertificate(api, spec, checked, { ...options, listing: await api.listCertificates() })
  } else {
    try {
      result = await applyCertificate(api, spec, checked, options)
    } catch (error) {
      // All outputs but `hostnames`, which cannot be known now: a re-run adopts the certificate.
      if (error instanceof PlacedButUnfinished) {
        const { hostnames: _unknown, ...outputs } = buildOutputs(error.placed)
        setOutputs(outputs)
      }
      throw error
    }
    if (result.rotation) saveRotations([result.rotation])
  }
  return reportOf(result, step)
}

function reportOf(result: CertificateResult, step: StepSettings): RunReport {
  return {
    action: result.action,
    dryRun: step.dryRun,
    outputs: buildOutputs(result),
    ...(result.attachment ? { hostnames: result.attachment } : {}),
    ...(result.wrangler ? { wrangler: result.wrangler } : {}),
    daysLeft: result.checked.facts.daysLeft,
    replace: result.replace,
    replaceWhen: step.replaceWhen,
    ...result.outcome,
  }
}

/** The local checks' findings, logged before anything is sent. */
export function logChecks(checked: CheckedCertificate): void {
  const { facts, leaf } = checked
  log.info(
    `Certificate ${subjectOf(leaf)}: issued by ${facts.issuer || 'unknown'}, serial ${facts.serialNumber}, expires ${facts.expiresOn} (${facts.daysLeft} days), SHA-256 ${facts.fingerprintSha256}; ${plural(checked.chain.length, 'certificate')} in the chain${checked.privateKeyPem ? ', with its private key' : ''}.`,
  )
  for (const notice of checked.notices) log.notice(notice)
  for (const warning of checked.warnings) log.warning(warning)
}
