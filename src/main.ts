import * as core from '@actions/core'
import { checkCertificate, isoSeconds, subjectOf, type CheckedCertificate } from './certificate.ts'
import { CloudflareApi, type MtlsCertificate, type UploadBody } from './cloudflare.ts'
import { InputError } from './errors.ts'
import { createHttpClient, type HttpClient } from './http.ts'
import { actionInputs, getSettings } from './input-helper.ts'
import { log } from './log.ts'
import { runPost } from './post.ts'
import { buildOutputs, type ReplacePlan, type RunReport } from './report.ts'
import { errorText, failureMessage, logReplacements, writeSummary } from './reporting.ts'
import { systemClock, type Clock } from './retry.ts'
import { replaceCandidates, replaceOlder, type RotationTarget } from './rotation.ts'
import type { Settings } from './settings.ts'
import { isPostStep, markMainStep, saveRotation } from './state-helper.ts'
import { renderSummary, type RunContext } from './summary.ts'
import { plural, someOf } from './text.ts'
import { findByLeaf, uploadOrAdopt } from './upload.ts'

export interface Dependencies {
  http: HttpClient
  clock: Clock
}

/**
 * The action's one entry: the runner starts the same bundle for the main step and, at the end of the
 * job, for the post step (action.yml), which finds the main step's mark in its saved state.
 */
export async function run(
  dependencies: Dependencies = { http: createHttpClient(), clock: systemClock },
): Promise<void> {
  if (isPostStep()) return runPost(dependencies)
  markMainStep()
  return runMain(dependencies)
}

/** inputs → settings → checked certificate → Cloudflare → outputs and summary. */
async function runMain(dependencies: Dependencies): Promise<void> {
  try {
    const settings = getSettings(actionInputs())
    const now = new Date(dependencies.clock.now())
    const checked = checkCertificate(settings, now)
    logChecks(checked)
    const api = new CloudflareApi(settings, dependencies.http.send, dependencies.clock, log)
    const report = settings.dryRun
      ? await dryRun(api, settings, checked, now)
      : await deploy(api, settings, checked, now)
    for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value)
    await writeSummary(renderSummary(report, runContext()))
  } catch (error) {
    log.fail(failureMessage(error))
  } finally {
    await dependencies.http.close()
  }
}

async function deploy(
  api: CloudflareApi,
  settings: Settings,
  checked: CheckedCertificate,
  now: Date,
): Promise<RunReport> {
  const body: UploadBody = { ca: settings.ca, certificates: checked.certificatesPem }
  if (settings.name) body.name = settings.name
  if (checked.privateKeyPem) body.private_key = checked.privateKeyPem
  log.info(`Uploading to Cloudflare account ${settings.accountId}${settings.name ? ` as '${settings.name}'` : ''}.`)
  const { certificate, created } = await uploadOrAdopt(api, body, checked.facts.fingerprintSha256, now.getTime())
  const mayReplace = created || checkExisting(certificate, settings)
  if (created) {
    log.info(`Uploaded certificate ${certificate.id}, expiring ${certificate.expires_on ?? checked.facts.expiresOn}.`)
  } else {
    log.info(
      `The account already holds this certificate as ${certificate.id} (uploaded ${certificate.uploaded_on ?? 'earlier'}): nothing uploaded.`,
    )
  }
  const target = rotationTarget(settings, checked, certificate.uploaded_on ?? isoSeconds(now), certificate.id)
  const plan =
    !settings.replace || !mayReplace
      ? NO_REPLACE
      : settings.replaceWhen === 'immediately'
        ? await replaceNow(api, target)
        : await scheduleReplace(api, target)
  return {
    action: created ? 'uploaded' : 'reused',
    dryRun: false,
    outputs: buildOutputs(settings, checked, certificate, created, plan),
    daysLeft: checked.facts.daysLeft,
    replace: settings.replace && mayReplace,
    replaceWhen: settings.replaceWhen,
    ...plan,
  }
}

/** Every check and a read of the account (which proves the credentials), but no write. */
async function dryRun(
  api: CloudflareApi,
  settings: Settings,
  checked: CheckedCertificate,
  now: Date,
): Promise<RunReport> {
  log.info(`Dry run: reading the certificates of account ${settings.accountId}; nothing will be uploaded or deleted.`)
  const certificates = await api.listCertificates()
  const existing = findByLeaf(certificates, checked.facts.fingerprintSha256)
  const mayReplace = !existing || checkExisting(existing, settings)
  log.info(
    existing
      ? `Would reuse certificate ${existing.id}: the account already holds it.`
      : 'Would upload the certificate: the account does not hold it yet.',
  )
  const target = rotationTarget(settings, checked, existing?.uploaded_on ?? isoSeconds(now), existing?.id)
  const plan = settings.replace && mayReplace ? await planReplace(api, target, certificates) : NO_REPLACE
  return {
    action: existing ? 'would reuse' : 'would upload',
    dryRun: true,
    outputs: buildOutputs(settings, checked, existing, false, plan),
    daysLeft: checked.facts.daysLeft,
    replace: settings.replace && mayReplace,
    replaceWhen: settings.replaceWhen,
    ...plan,
  }
}

/**
 * The account holds our leaf already, uploaded earlier (perhaps by hand). With the other `ca` flag it
 * cannot serve this workflow, and Cloudflare refuses a second copy. Under another name it is reused,
 * with a warning, and `replace` is skipped: removing the older certificates named `name` would leave
 * none under that name. Returns whether `replace` may go on.
 */
function checkExisting(existing: MtlsCertificate, settings: Settings): boolean {
  if (existing.ca !== undefined && existing.ca !== settings.ca) {
    throw new InputError(
      `The account already holds this certificate as ${existing.id}, uploaded with ca: ${existing.ca}, and Cloudflare keeps one copy of a certificate. To use it with ca: ${settings.ca}, delete ${existing.id} first, or set ca: ${existing.ca}.`,
    )
  }
  if (!settings.name || existing.name === settings.name) return true
  log.warning(
    `The account already holds this certificate as ${existing.id} named '${existing.name ?? ''}', not '${settings.name}': it is reused as it is${settings.replace ? `, and replace is skipped, as removing the older certificates named '${settings.name}' would leave none under that name` : ''}. Rename it in the dashboard, or delete it and re-run, to have it under '${settings.name}'.`,
  )
  return false
}

const NO_REPLACE: ReplacePlan = { replacements: [], candidates: [] }

/** `replace` in this step, once the new certificate is in place: a failure is a warning, as the upload stands. */
async function replaceNow(api: CloudflareApi, target: RotationTarget): Promise<ReplacePlan> {
  try {
    const replacements = await replaceOlder(api, await api.listCertificates(), target, false)
    logReplacements(replacements)
    return { replacements, candidates: [] }
  } catch (error) {
    log.warning(
      `The certificate is in place, but replace could not finish: ${errorText(error)}. Older certificates named '${target.name}' are left as they were.`,
    )
    return NO_REPLACE
  }
}

/**
 * `replace` left to the post step at the end of the job, with the older certificates it will consider
 * as the account stands now. The post step lists again, so a listing that fails here is only a warning.
 */
async function scheduleReplace(api: CloudflareApi, target: RotationTarget): Promise<ReplacePlan> {
  saveRotation(target)
  const candidates = await api.listCertificates().then(
    (certificates) => replaceCandidates(certificates, target),
    (error: unknown) => {
      log.warning(
        `The certificate is in place, but replace could not list the candidates: ${errorText(error)}. Older certificates named '${target.name}' are left as they were for now.`,
      )
      return []
    },
  )
  log.info(
    `Replace is scheduled for the end of the job: once every other step has succeeded, the post step deletes the certificates named '${target.name}' uploaded before this one that no service uses then${candidates.length > 0 ? ` (now: ${someOf(candidates)})` : ' (none now)'}.`,
  )
  return { replacements: [], candidates }
}

/** A dry run: what replace would do with the listing read, deleting nothing and scheduling nothing. */
async function planReplace(
  api: CloudflareApi,
  target: RotationTarget,
  certificates: readonly MtlsCertificate[],
): Promise<ReplacePlan> {
  try {
    const replacements = await replaceOlder(api, certificates, target, true)
    logReplacements(replacements)
    return { replacements, candidates: replaceCandidates(certificates, target) }
  } catch (error) {
    log.warning(
      `Replace could not be planned: ${errorText(error)}. Older certificates named '${target.name}' are left as they were.`,
    )
    return NO_REPLACE
  }
}

function rotationTarget(
  settings: Settings,
  checked: CheckedCertificate,
  uploadedOn: string,
  id: string | undefined,
): RotationTarget {
  return {
    name: settings.name ?? '',
    ca: settings.ca,
    issuedAt: checked.leaf.validFromDate.getTime(),
    uploadedOn,
    ...(id ? { id } : {}),
  }
}

function logChecks(checked: CheckedCertificate): void {
  const { facts, leaf } = checked
  log.info(
    `Certificate ${subjectOf(leaf)}: issued by ${facts.issuer || 'unknown'}, serial ${facts.serialNumber}, expires ${facts.expiresOn} (${facts.daysLeft} days), SHA-256 ${facts.fingerprintSha256}; ${plural(checked.chain.length, 'certificate')} in the chain${checked.privateKeyPem ? ', with its private key' : ''}.`,
  )
  for (const notice of checked.notices) log.notice(notice)
  for (const warning of checked.warnings) log.warning(warning)
}

/**
 * Where the run is, from the runner's variables, read here: loading @actions/github for its context
 * builds an HTTP client from the proxy variables, and a proxy it cannot use (socks5://) stopped the
 * step with a stack trace before it began.
 */
function runContext(): RunContext {
  const { env } = process
  const runId = Number.parseInt(env.GITHUB_RUN_ID ?? '', 10)
  return {
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
    ...(runId ? { runId } : {}),
  }
}
