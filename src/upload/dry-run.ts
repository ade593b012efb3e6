import { plannedAttachment, readAttachPlan } from '../api-shield/zone.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import { isoSeconds } from '../certificate/facts.ts'
import type { CertificateSpec } from '../certificate/spec.ts'
import type { MtlsCertificate } from '../cloudflare/answers.ts'
import type { CloudflareApi } from '../cloudflare/client.ts'
import { log } from '../action/log.ts'
import { planReplace } from '../replace/in-main-step.ts'
import { NO_REPLACE } from '../replace/policy.ts'
import type { RetireReads } from '../replace/read.ts'
import { judgeExisting, planPlacement, rotationTarget } from './plan.ts'
import type { CertificateOptions, CertificateResult } from './result.ts'
import { rotationUploadTime } from './upload.ts'
import { planWrangler, workersOf } from './wrangler.ts'

/** The one line a dry run starts with, whatever the step. */
export function logDryRun(accountId: string): void {
  log.info(`Dry run: reading the certificates of account ${accountId}; nothing will be uploaded or deleted.`)
}

/**
 * A dry run of one spec: what a real run would do as the account stands, from the listing and the
 * reads the planners need (the CA's hostnames, each older certificate's hostnames and associations).
 * Every request is a read; the result says "would".
 */
export async function planCertificate(
  api: CloudflareApi,
  spec: CertificateSpec,
  checked: CheckedCertificate,
  options: CertificateOptions & { listing: readonly MtlsCertificate[] },
): Promise<CertificateResult> {
  const placement = planPlacement(spec, checked, options.listing)
  const certificate = placement.kind === 'reuse' ? placement.certificate : undefined
  const existing = certificate ? judgeExisting(certificate, spec) : { mayReplace: true as const }
  if (!existing.mayReplace) log.warning(existing.warning)
  log.info(
    certificate
      ? `Would reuse certificate ${certificate.id}: the account already holds it.`
      : 'Would upload the certificate: the account does not hold it yet.',
  )
  const zone = spec.apiShield && api.zoneHostnames(spec.apiShield.zoneId)
  const hostnames = spec.apiShield?.hostnames ?? []
  const attachment =
    zone && plannedAttachment(zone, certificate?.id, hostnames, await readAttachPlan(zone, certificate?.id, hostnames))
  // Planned in memory only: nothing is written in a dry run.
  const work = planWrangler(spec, certificate?.id, options)
  const base = {
    spec,
    checked,
    created: false,
    action: certificate ? 'would reuse' : 'would upload',
    ...(certificate ? { certificate } : {}),
    ...(attachment ? { attachment } : {}),
    ...(work.wrangler ? { wrangler: work.wrangler } : {}),
  } as const
  // A certificate not uploaded yet would be uploaded now; one listed has Cloudflare's time, if readable.
  const uploadedOn =
    spec.replace && existing.mayReplace
      ? certificate
        ? rotationUploadTime(certificate, certificate.uploaded_on)
        : isoSeconds(options.now)
      : undefined
  if (uploadedOn === undefined) return { ...base, replace: false, outcome: NO_REPLACE }
  const target = rotationTarget(spec, checked, uploadedOn, certificate?.id)
  const reads: RetireReads = { api }
  // The hostnames the new CA would serve: the attach plan's.
  if (zone && attachment) reads.zone = { client: zone, newServes: () => Promise.resolve(attachment.after) }
  const workers = workersOf(api, options, work.workers)
  if (workers) reads.workers = workers
  return {
    ...base,
    replace: true,
    outcome: await planReplace(reads, options.listing, target, options.replaceWhen === 'end-of-job'),
  }
}
