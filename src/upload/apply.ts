import { attachHostnames } from '../api-shield/zone.ts'
import type { HostnameAttachment } from '../api-shield/plan.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import type { CertificateSpec } from '../certificate/spec.ts'
import type { MtlsCertificate } from '../cloudflare/answers.ts'
import type { CloudflareApi } from '../cloudflare/client.ts'
import { OperationError, errorMessage } from '../core/errors.ts'
import { log } from '../action/log.ts'
import { replaceInStep, scheduledCandidates } from '../replace/in-main-step.ts'
import { NO_REPLACE, type ReplaceOutcome } from '../replace/policy.ts'
import type { RetireReads } from '../replace/read.ts'
import type { SavedRotation } from '../replace/saved-rotation.ts'
import { judgeExisting, planPlacement, rotationTarget } from './plan.ts'
import type { CertificateOptions, CertificateResult } from './result.ts'
import { rotationUploadTime, uploadOrAdopt, uploadTimeOf } from './upload.ts'
import { workersOf, writeWrangler, type WranglerWork } from './wrangler.ts'
import { checksConsumers, checksWorkers } from '../replace/workers.ts'

/**
 * The certificate is in place but its work is not done: the API Shield attach, or the Wrangler write,
 * failed. The step puts its id where it puts the others' (certificate-id; a manifest's `certificates`)
 * from `placed`, without hostnames, so that a re-run adopts the certificate and finishes the job.
 */
export class PlacedButUnfinished extends OperationError {
  readonly placed: Pick<CertificateResult, 'spec' | 'checked' | 'certificate' | 'created'>
  constructor(message: string, placed: PlacedButUnfinished['placed'], cause: unknown) {
    super(message, { cause })
    this.placed = placed
  }
}

/**
 * Carries out one spec: the certificate placed (uploaded, or found where Cloudflare says it is), then
 * its API Shield hostnames attached, then its id written into its Wrangler files, then replace run or
 * scheduled (make before break).
 */
export async function applyCertificate(
  api: CloudflareApi,
  spec: CertificateSpec,
  checked: CheckedCertificate,
  options: CertificateOptions,
): Promise<CertificateResult> {
  const { certificate, created, mayReplace } = await place(api, spec, checked, options)
  const zone = spec.apiShield && api.zoneHostnames(spec.apiShield.zoneId)
  let attachment: HostnameAttachment | undefined
  if (zone && spec.apiShield) {
    try {
      attachment = await attachHostnames(zone, certificate.id, spec.apiShield.hostnames, created)
    } catch (error) {
      throw new PlacedButUnfinished(
        `${errorMessage(error).replace(/\.$/, '')}. The CA is ${created ? 'uploaded' : 'in the account'} as ${certificate.id} (its id is in the step's outputs): once this is fixed, re-run the job, which adopts it and attaches the hostnames.`,
        { spec, checked, certificate, created },
        error,
      )
    }
  }
  let work: WranglerWork
  try {
    work = writeWrangler(spec, certificate.id, options)
  } catch (error) {
    throw new PlacedButUnfinished(
      `${errorMessage(error).replace(/\.$/, '')}. The certificate is ${created ? 'uploaded' : 'in the account'} as ${certificate.id} (its id is in the step's outputs): once this is fixed, re-run the job, which adopts it and writes its id into the Wrangler configuration.`,
      { spec, checked, certificate, created },
      error,
    )
  }
  const uploadedOn =
    spec.replace && mayReplace ? rotationUploadTime(certificate, await uploadTimeOf(api, certificate)) : undefined
  const base = {
    spec,
    checked,
    certificate,
    created,
    action: created ? 'uploaded' : 'reused',
    ...(attachment ? { attachment } : {}),
    ...(work.wrangler ? { wrangler: work.wrangler } : {}),
  } as const
  if (uploadedOn === undefined) return { ...base, replace: false, outcome: NO_REPLACE }
  const target = { ...rotationTarget(spec, checked, uploadedOn, certificate.id), id: certificate.id }
  const reads: RetireReads = { api }
  // What the new CA serves is read from Cloudflare again before each old CA gives up a hostname.
  if (zone) reads.zone = { client: zone, newServes: () => zone.read(certificate.id) }
  const workers = workersOf(api, options, work.workers)
  if (workers) reads.workers = workers
  // A step's listing made before the upload, with the certificate in it: the account is not listed again.
  const since = options.listing && [...options.listing.filter((c) => c.id !== certificate.id), certificate]
  if (options.replaceWhen === 'immediately') {
    const outcome: ReplaceOutcome = await replaceInStep(reads, target, since)
    return { ...base, replace: true, outcome }
  }
  const rotation: SavedRotation = {
    target,
    ...(spec.apiShield ? { apiShield: spec.apiShield } : {}),
    ...(checksWorkers(work.workers) ? { workers: work.workers } : {}),
    ...(options.consumers && checksConsumers(work.workers, options.consumers) ? { consumers: options.consumers } : {}),
  }
  return { ...base, replace: true, outcome: await scheduledCandidates(api, target, since), rotation }
}

/** The certificate in the account: reused from a listing, or uploaded (adopted when it is there). */
async function place(
  api: CloudflareApi,
  spec: CertificateSpec,
  checked: CheckedCertificate,
  { now, listing }: CertificateOptions,
): Promise<{ certificate: MtlsCertificate; created: boolean; mayReplace: boolean }> {
  const plan = planPlacement(spec, checked, listing)
  let certificate: MtlsCertificate
  let created = false
  if (plan.kind === 'reuse') {
    certificate = plan.certificate
  } else {
    log.info(`Uploading to Cloudflare account ${api.accountId}${spec.name ? ` as '${spec.name}'` : ''}.`)
    ;({ certificate, created } = await uploadOrAdopt(api, plan.body, checked.facts.fingerprintSha256, now.getTime()))
  }
  if (created) {
    log.info(`Uploaded certificate ${certificate.id}, expiring ${certificate.expires_on ?? checked.facts.expiresOn}.`)
    return { certificate, created, mayReplace: true }
  }
  const existing = judgeExisting(certificate, spec)
  if (!existing.mayReplace) log.warning(existing.warning)
  log.info(
    `The account already holds this certificate as ${certificate.id} (uploaded ${certificate.uploaded_on ?? 'earlier'}): nothing uploaded.`,
  )
  return { certificate, created, mayReplace: existing.mayReplace }
}
