import * as core from '@actions/core'
import { Context } from './github-context.ts'
import { checkCertificate, isoSeconds, subjectOf, type CheckedCertificate } from './certificate.ts'
import { CloudflareApi, OperationError, type MtlsCertificate, type UploadBody } from './cloudflare.ts'
import { InputError } from './errors.ts'
import { createHttpSend, type HttpSend } from './http.ts'
import { getSettings } from './input-helper.ts'
import { buildOutputs, type RunReport } from './report.ts'
import { systemClock, type Clock } from './retry.ts'
import { replaceOlder, type Replacement, type RotationTarget } from './rotation.ts'
import type { Settings } from './settings.ts'
import { renderSummary, type RunContext } from './summary.ts'
import { findByLeaf, uploadOrAdopt } from './upload.ts'

export interface Dependencies {
  send: HttpSend
  clock: Clock
}

/** inputs → settings → checked certificate → Cloudflare → outputs and summary. */
export async function run(dependencies: Dependencies = { send: createHttpSend(), clock: systemClock }): Promise<void> {
  try {
    const settings = getSettings({ input: (name) => core.getInput(name, { trimWhitespace: false }), env: process.env })
    const now = new Date(dependencies.clock.now())
    const checked = checkCertificate(settings, now)
    logChecks(checked)
    const api = new CloudflareApi(settings, dependencies.send, dependencies.clock, core)
    const report = settings.dryRun
      ? await dryRun(api, settings, checked, now)
      : await deploy(api, settings, checked, now)
    for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value)
    await core.summary.addRaw(renderSummary(report, runContext())).write()
  } catch (error) {
    core.setFailed(failureMessage(error))
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
  core.info(`Uploading to Cloudflare account ${settings.accountId}${settings.name ? ` as '${settings.name}'` : ''}.`)
  const { certificate, created } = await uploadOrAdopt(api, body, checked.facts.fingerprintSha256, now.getTime())
  const mayReplace = created || checkExisting(certificate, settings)
  if (created) {
    core.info(`Uploaded certificate ${certificate.id}, expiring ${certificate.expires_on ?? checked.facts.expiresOn}.`)
  } else {
    core.info(
      `The account already holds this certificate as ${certificate.id} (uploaded ${certificate.uploaded_on ?? 'earlier'}): nothing uploaded.`,
    )
  }
  const target = rotationTarget(settings, checked, certificate.uploaded_on ?? isoSeconds(now), certificate.id)
  const replacements = mayReplace ? await replaceIfAsked(api, settings, target) : []
  return {
    action: created ? 'uploaded' : 'reused',
    dryRun: false,
    outputs: buildOutputs(settings, checked, certificate, created, replacements),
    daysLeft: checked.facts.daysLeft,
    replace: settings.replace,
    replacements,
  }
}

/** Every check and a read of the account (which proves the credentials), but no write. */
async function dryRun(
  api: CloudflareApi,
  settings: Settings,
  checked: CheckedCertificate,
  now: Date,
): Promise<RunReport> {
  core.info(`Dry run: reading the certificates of account ${settings.accountId}; nothing will be uploaded or deleted.`)
  const certificates = await api.listCertificates()
  const existing = findByLeaf(certificates, checked.facts.fingerprintSha256)
  const mayReplace = !existing || checkExisting(existing, settings)
  core.info(
    existing
      ? `Would reuse certificate ${existing.id}: the account already holds it.`
      : 'Would upload the certificate: the account does not hold it yet.',
  )
  const target = rotationTarget(settings, checked, existing?.uploaded_on ?? isoSeconds(now), existing?.id)
  const replacements = mayReplace ? await replaceIfAsked(api, settings, target, certificates) : []
  return {
    action: existing ? 'would reuse' : 'would upload',
    dryRun: true,
    outputs: buildOutputs(settings, checked, existing, false, []),
    daysLeft: checked.facts.daysLeft,
    replace: settings.replace,
    replacements,
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
  core.warning(
    `The account already holds this certificate as ${existing.id} named '${existing.name ?? ''}', not '${settings.name}': it is reused as it is${settings.replace ? `, and replace is skipped, as removing the older certificates named '${settings.name}' would leave none under that name` : ''}. Rename it in the dashboard, or delete it and re-run, to have it under '${settings.name}'.`,
  )
  return false
}

/**
 * `replace`, once the new certificate is in place: a failure here is a warning, as the upload stands.
 * A dry run passes the listing it has read (and deletes nothing); a real run lists after its upload.
 */
async function replaceIfAsked(
  api: CloudflareApi,
  settings: Settings,
  target: RotationTarget,
  dryRunListing?: readonly MtlsCertificate[],
): Promise<Replacement[]> {
  if (!settings.replace) return []
  const dryRun = dryRunListing !== undefined
  try {
    const replacements = await replaceOlder(api, dryRunListing ?? (await api.listCertificates()), target, dryRun)
    logReplacements(replacements)
    return replacements
  } catch (error) {
    core.warning(
      `${dryRun ? 'Replace could not be planned' : 'The certificate is in place, but replace could not finish'}: ${error instanceof Error ? error.message : String(error)}. Older certificates named '${target.name}' are left as they were.`,
    )
    return []
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
  core.info(
    `Certificate ${subjectOf(leaf)}: issued by ${facts.issuer || 'unknown'}, serial ${facts.serialNumber}, expires ${facts.expiresOn} (${facts.daysLeft} days), SHA-256 ${facts.fingerprintSha256}; ${checked.chain.length} certificate(s) in the chain${checked.privateKeyPem ? ', with its private key' : ''}.`,
  )
  for (const notice of checked.notices) core.notice(notice)
  for (const warning of checked.warnings) core.warning(warning)
}

function logReplacements(replacements: readonly Replacement[]): void {
  for (const r of replacements) {
    const line = `Certificate ${r.id} of the same name${r.uploadedOn ? ` (uploaded ${r.uploadedOn})` : ''}: ${r.action}, ${r.reason}.`
    if (r.warn) core.warning(line)
    else core.info(line)
  }
}

function runContext(): RunContext {
  const context = new Context()
  const repository = process.env.GITHUB_REPOSITORY ? `${context.repo.owner}/${context.repo.repo}` : undefined
  return {
    serverUrl: context.serverUrl,
    ...(repository ? { repository } : {}),
    ...(context.sha ? { sha: context.sha } : {}),
    ...(context.runId ? { runId: context.runId } : {}),
  }
}

/** One line for the error annotation: what went wrong and what to do. Stacks go to the debug log only. */
function failureMessage(error: unknown): string {
  if (error instanceof InputError) return error.message
  if (error instanceof OperationError) return error.message.replace(/([^.])$/, '$1.')
  if (error instanceof Error) {
    core.debug(error.stack ?? error.message)
    return `Unexpected error: ${error.message}`
  }
  return `Unexpected error: ${String(error)}`
}
