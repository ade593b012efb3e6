import { parseTime } from '../cloudflare/values.ts'
import { attachHostnames, type HostnameAttachment } from '../api-shield/zone.ts'
import { checkCertificate, type CheckedCertificate } from '../certificate/check.ts'
import { isoSeconds, subjectOf } from '../certificate/facts.ts'
import { CloudflareApi, type MtlsCertificate, type UploadBody, type ZoneHostnamesClient } from '../cloudflare/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { InputError, OperationError, errorMessage } from '../core/errors.ts'
import { actionInputs } from '../action/input-source.ts'
import { failStep, log } from '../action/log.ts'
import { buildOutputs, setOutputs } from './outputs.ts'
import { replaceInStep, scheduleReplace } from '../replace/in-main-step.ts'
import type { ZoneRelease } from '../replace/replace-older.ts'
import { NO_REPLACE, type ReplacePlan, type RotationTarget } from '../replace/policy.ts'
import { registerSecret } from '../action/secrets.ts'
import { getSettings, type Settings } from './settings.ts'
import { githubRunContext } from '../action/run-context.ts'
import { renderSummary, writeSummary, type RunReport } from './summary.ts'
import { plural } from '../core/text.ts'
import { findByLeaf, uploadOrAdopt, uploadTimeOf } from './upload.ts'

/** The main step: inputs → settings → checked certificate → Cloudflare → outputs and summary. */
export async function runUpload(dependencies: Dependencies): Promise<void> {
  try {
    const settings = getSettings(actionInputs())
    const now = new Date(dependencies.clock.now())
    const checked = checkCertificate(settings, now)
    // The decrypted key is a form of the key the action made: masked before anything is logged.
    if (checked.privateKeyPem) registerSecret(checked.privateKeyPem)
    logChecks(checked)
    const api = new CloudflareApi(settings, dependencies.http.send, dependencies.clock, log)
    const report = await upload(api, settings, checked, now)
    setOutputs(report.outputs)
    await writeSummary(renderSummary(report, await githubRunContext()))
  } catch (error) {
    failStep(error)
  } finally {
    await dependencies.http.close()
  }
}

/** Where the certificate stands in the account after this step: found, uploaded, or (a dry run) neither. */
interface Placement {
  certificate: MtlsCertificate | undefined
  created: boolean
  /** Whether `replace` may go on (see checkExisting). */
  mayReplace: boolean
  /** A dry run's listing, which replace plans with. */
  listing?: MtlsCertificate[]
}

async function upload(
  api: CloudflareApi,
  settings: Settings,
  checked: CheckedCertificate,
  now: Date,
): Promise<RunReport> {
  const placement = settings.dryRun
    ? await findInAccount(api, settings, checked)
    : await uploadToAccount(api, settings, checked, now)
  const { certificate, created, listing } = placement
  const zoneClient = settings.apiShield && api.zoneHostnames(settings.apiShield.zoneId)
  const hostnames = zoneClient && (await attach(zoneClient, settings, checked, placement))
  const uploadedOn =
    settings.replace && placement.mayReplace ? await rotationUploadTime(api, placement, now) : undefined
  const mayReplace = uploadedOn !== undefined
  let plan = NO_REPLACE
  if (mayReplace) {
    const target = rotationTarget(settings, checked, uploadedOn, certificate?.id)
    const zone: ZoneRelease | undefined = zoneClient &&
      hostnames && {
        zone: zoneClient,
        // A dry run, or a CA not uploaded yet, has only the plan; a real run reads what Cloudflare holds.
        readNewServes:
          settings.dryRun || !certificate
            ? () => Promise.resolve(hostnames.hostnames)
            : () => zoneClient.read(certificate.id),
      }
    plan = await replace(api, settings, target, listing, zone)
  }
  return {
    action: settings.dryRun ? (certificate ? 'would reuse' : 'would upload') : created ? 'uploaded' : 'reused',
    dryRun: settings.dryRun,
    outputs: buildOutputs(settings, checked, certificate, created, plan, hostnames),
    ...(hostnames ? { hostnames } : {}),
    daysLeft: checked.facts.daysLeft,
    replace: mayReplace,
    replaceWhen: settings.replaceWhen,
    ...plan,
  }
}

async function uploadToAccount(
  api: CloudflareApi,
  settings: Settings,
  checked: CheckedCertificate,
  now: Date,
): Promise<Placement> {
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
  return { certificate, created, mayReplace }
}

/** A dry run: every check and a read of the account (which proves the credentials), but no write. */
async function findInAccount(api: CloudflareApi, settings: Settings, checked: CheckedCertificate): Promise<Placement> {
  log.info(`Dry run: reading the certificates of account ${settings.accountId}; nothing will be uploaded or deleted.`)
  const listing = await api.listCertificates()
  const certificate = findByLeaf(listing, checked.facts.fingerprintSha256)
  const mayReplace = !certificate || checkExisting(certificate, settings)
  log.info(
    certificate
      ? `Would reuse certificate ${certificate.id}: the account already holds it.`
      : 'Would upload the certificate: the account does not hold it yet.',
  )
  return { certificate, created: false, mayReplace, listing }
}

/**
 * API Shield: the CA goes onto the zone's hostnames once it is in place (a dry run only reads). A
 * failure fails the step with the outputs set, so that a re-run adopts the CA and finishes the job.
 */
async function attach(
  zone: ZoneHostnamesClient,
  settings: Settings,
  checked: CheckedCertificate,
  { certificate, created }: Placement,
): Promise<HostnameAttachment> {
  const hostnames = settings.apiShield?.hostnames ?? []
  try {
    return await attachHostnames(zone, certificate?.id, hostnames, settings.dryRun, log, created)
  } catch (error) {
    if (settings.dryRun || !certificate) throw error
    // All but `hostnames`, which cannot be known now.
    const { hostnames: _unknown, ...outputs } = buildOutputs(settings, checked, certificate, created, NO_REPLACE)
    setOutputs(outputs)
    throw new OperationError(
      `${errorMessage(error).replace(/\.$/, '')}. The CA is ${created ? 'uploaded' : 'in the account'} as ${certificate.id} (certificate-id is set): once this is fixed, re-run the job, which adopts it and attaches the hostnames.`,
      { cause: error },
    )
  }
}

/**
 * Our upload time, which decides which certificates `replace` counts as older: Cloudflare's (the
 * answer's, else the listing's), never the runner's clock, which may run ahead and make a concurrent
 * run's newer upload look older. Unknown: replace is skipped, with a warning. A dry run that would
 * upload takes now, as the upload would be; it deletes nothing.
 */
async function rotationUploadTime(
  api: CloudflareApi,
  { certificate, listing }: Placement,
  now: Date,
): Promise<string | undefined> {
  if (!certificate) return isoSeconds(now)
  // A dry run's certificate is the listing's entry already.
  const uploadedOn = listing ? certificate.uploaded_on : await uploadTimeOf(api, certificate)
  if (parseTime(uploadedOn) !== undefined) return uploadedOn
  log.warning(
    `Replace is skipped: Cloudflare gives no readable upload time for ${certificate.id}, so which certificates of its name are older cannot be told (the runner's clock is not used for it). The certificate is in place; delete older certificates with its name by hand, or re-run the job.`,
  )
  return undefined
}

function replace(
  api: CloudflareApi,
  settings: Settings,
  target: RotationTarget,
  listing: MtlsCertificate[] | undefined,
  zone: ZoneRelease | undefined,
): Promise<ReplacePlan> {
  if (settings.dryRun || settings.replaceWhen === 'immediately') return replaceInStep(api, target, listing, zone)
  return scheduleReplace(api, target)
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
