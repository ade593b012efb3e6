import * as core from '@actions/core'
import { Context } from './github-context.ts'
import { checkCertificate, isoSeconds, subjectOf, type CheckedCertificate } from './certificate.ts'
import { CloudflareApi, type UploadBody } from './cloudflare.ts'
import { InputError } from './errors.ts'
import { createHttpSend, type HttpSend } from './http.ts'
import { getSettings } from './input-helper.ts'
import { buildOutputs, type RunReport } from './report.ts'
import { systemClock, type Clock } from './retry.ts'
import { replaceOlder, type Replacement } from './rotation.ts'
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
    const settings = getSettings({ input: (name) => core.getInput(name), env: process.env })
    const checked = checkCertificate(settings, new Date(dependencies.clock.now()))
    logChecks(checked)
    const api = new CloudflareApi(settings, dependencies.send, dependencies.clock, core)
    const report = settings.dryRun ? await dryRun(api, settings, checked) : await deploy(api, settings, checked)
    for (const [name, value] of Object.entries(report.outputs)) core.setOutput(name, value)
    await core.summary.addRaw(renderSummary(report, runContext())).write()
  } catch (error) {
    core.setFailed(failureMessage(error))
  }
}

async function deploy(api: CloudflareApi, settings: Settings, checked: CheckedCertificate): Promise<RunReport> {
  const body: UploadBody = { ca: settings.ca, certificates: checked.certificatesPem }
  if (settings.name) body.name = settings.name
  if (checked.privateKeyPem) body.private_key = checked.privateKeyPem
  core.info(`Uploading to Cloudflare account ${settings.accountId}${settings.name ? ` as '${settings.name}'` : ''}.`)
  const { certificate, created } = await uploadOrAdopt(api, body, checked.facts.fingerprintSha256)
  core.info(
    created
      ? `Uploaded certificate ${certificate.id}, expiring ${certificate.expires_on ?? checked.facts.expiresOn}.`
      : `The account already holds this certificate as ${certificate.id} (uploaded ${certificate.uploaded_on ?? 'earlier'}): nothing uploaded.`,
  )
  const replacements = settings.replace
    ? await replaceOlder(
        api,
        rotationTarget(settings, certificate.uploaded_on ?? isoSeconds(new Date()), certificate.id),
        false,
      )
    : []
  logReplacements(replacements)
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
async function dryRun(api: CloudflareApi, settings: Settings, checked: CheckedCertificate): Promise<RunReport> {
  core.info(`Dry run: reading the certificates of account ${settings.accountId}; nothing will be uploaded or deleted.`)
  const existing = findByLeaf(await api.listCertificates(), checked.facts.fingerprintSha256)
  core.info(
    existing
      ? `Would reuse certificate ${existing.id}: the account already holds it.`
      : 'Would upload the certificate: the account does not hold it yet.',
  )
  const replacements = settings.replace
    ? await replaceOlder(
        api,
        rotationTarget(settings, existing?.uploaded_on ?? isoSeconds(new Date()), existing?.id),
        true,
      )
    : []
  logReplacements(replacements)
  return {
    action: existing ? 'would reuse' : 'would upload',
    dryRun: true,
    outputs: buildOutputs(settings, checked, existing, false, []),
    daysLeft: checked.facts.daysLeft,
    replace: settings.replace,
    replacements,
  }
}

function rotationTarget(settings: Settings, uploadedOn: string, id: string | undefined) {
  return { name: settings.name ?? '', ca: settings.ca, uploadedOn, ...(id ? { id } : {}) }
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
    const line = `Older certificate ${r.id}${r.uploadedOn ? ` (uploaded ${r.uploadedOn})` : ''}: ${r.action}, ${r.reason}.`
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
  if (error instanceof Error) {
    if (error.name !== 'OperationError') core.debug(error.stack ?? error.message)
    return error.name === 'OperationError'
      ? error.message.replace(/([^.])$/, '$1.')
      : `Unexpected error: ${error.message}`
  }
  return `Unexpected error: ${String(error)}`
}
