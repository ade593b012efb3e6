import { parseTime } from '../../cloudflare/values.ts'
import { leafFingerprint } from '../../certificate/facts.ts'
import type { CloudflareApi } from '../../cloudflare/mtls/client.ts'
import type { MtlsCertificate, UploadBody } from '../../cloudflare/mtls/answers.ts'
import { OperationError } from '../../core/errors.ts'
import { ApiError, CLOUDFLARE_CODES } from '../../cloudflare/errors.ts'
import { log } from '../../action/log.ts'

interface UploadOutcome {
  certificate: MtlsCertificate
  /** True when this run put the certificate into the account. */
  created: boolean
}

/** Allowance for the runner's clock running ahead of Cloudflare's, when judging who uploaded a certificate. */
const CLOCK_SKEW_MS = 5 * 60_000

/**
 * Uploads the certificate, never twice (the client looks the certificate up where Cloudflare says it
 * exists, or an attempt may have stored it). A full CA quota (1489) is explained with the
 * certificates that could make room.
 */
export async function uploadOrAdopt(
  api: CloudflareApi,
  body: UploadBody,
  fingerprint: string,
  runStartedAt: number,
): Promise<UploadOutcome> {
  try {
    const outcome = await api.uploadCertificate(body, (certificates) => findByLeaf(certificates, fingerprint))
    const { certificate } = outcome
    // Found after an attempt whose outcome is unknown: ours only if it reads as uploaded during this run.
    const uploadedAt = parseTime(certificate.uploaded_on)
    const created =
      outcome.uploaded ||
      (outcome.afterLostAnswer && uploadedAt !== undefined && uploadedAt >= runStartedAt - CLOCK_SKEW_MS)
    return { certificate, created }
  } catch (error) {
    throw isCaQuotaFull(error) ? await explainCaQuota(api, error, body.name) : error
  }
}

/**
 * When Cloudflare says the certificate was uploaded: from its answer, else from the listing's entry
 * for the same id; undefined when neither gives a time that reads as one (or the listing fails).
 * Never the runner's clock: it decides which certificates `replace` counts as older.
 */
export async function uploadTimeOf(api: CloudflareApi, certificate: MtlsCertificate): Promise<string | undefined> {
  if (parseTime(certificate.uploaded_on) !== undefined) return certificate.uploaded_on
  const listed = await api.listCertificates().then(
    (certificates) => certificates.find((candidate) => candidate.id === certificate.id),
    () => undefined,
  )
  return parseTime(listed?.uploaded_on) === undefined ? undefined : listed?.uploaded_on
}

/**
 * The upload time replace counts from, when Cloudflare gives one that reads as a time; otherwise
 * replace is skipped, with a warning (the runner's clock, which may run ahead, is never used for it).
 */
export function rotationUploadTime(certificate: MtlsCertificate, uploadedOn: string | undefined): string | undefined {
  if (parseTime(uploadedOn) !== undefined) return uploadedOn
  log.warning(
    `Replace is skipped: Cloudflare gives no readable upload time for ${certificate.id}, so which certificates of its name are older cannot be told (the runner's clock is not used for it). The certificate is in place; delete older certificates with its name by hand, or re-run the job.`,
  )
  return undefined
}

/** The account's certificate whose leaf is ours, compared by the certificate itself, not its name. */
export function findByLeaf(certificates: readonly MtlsCertificate[], fingerprint: string): MtlsCertificate | undefined {
  return certificates.find(
    (certificate) =>
      certificate.certificates !== undefined && leafFingerprint(certificate.certificates) === fingerprint,
  )
}

function isCaQuotaFull(error: unknown): error is OperationError {
  return (
    error instanceof OperationError &&
    error.cause instanceof ApiError &&
    error.cause.hasCode(CLOUDFLARE_CODES.caQuotaFull)
  )
}

/** The quota failure, with which certificates could make room, as far as the account can be read. */
async function explainCaQuota(
  api: CloudflareApi,
  error: OperationError,
  name: string | undefined,
): Promise<OperationError> {
  const certificates = await api.listCertificates().catch(() => undefined)
  return new OperationError(`${error.message.replace(/\.$/, '')}. ${caQuotaAdvice(certificates, name)}`, {
    cause: error.cause,
  })
}

function caQuotaAdvice(certificates: readonly MtlsCertificate[] | undefined, name: string | undefined): string {
  const advice =
    'The account holds as many CA certificates as Cloudflare allows (the limit depends on the plan: 5 on Enterprise). replace deletes older certificates only after the new one is uploaded, so it cannot make room: first delete a CA certificate that no longer verifies any client (in the dashboard, or with DELETE /accounts/{account_id}/mtls_certificates/{id}), then re-run.'
  if (!certificates) return `${advice} (The account's certificates could not be listed to suggest one.)`
  const oldestFirst = certificates
    .filter((certificate) => certificate.ca === true)
    .sort((a, b) => uploadTime(a) - uploadTime(b) || 0)
  const sameName = oldestFirst.filter((certificate) => name !== undefined && certificate.name === name)
  if (sameName.length > 0) {
    return `${advice} CA certificates named '${name ?? ''}', oldest first: ${sameName.map(describeCertificate).join(', ')}.`
  }
  const others = oldestFirst.map(describeCertificate).join(', ') || 'none listed'
  return `${advice} ${name === undefined ? 'The' : `No CA certificate is named '${name}'; the`} account's CA certificates, oldest first: ${others}.`
}

/** Upload time in milliseconds; one that cannot be read sorts last. */
const uploadTime = (certificate: MtlsCertificate): number =>
  parseTime(certificate.uploaded_on) ?? Number.POSITIVE_INFINITY

const describeCertificate = (certificate: MtlsCertificate): string =>
  `${certificate.id} (${certificate.name === undefined ? '' : `'${certificate.name}', `}uploaded ${certificate.uploaded_on ?? 'at an unknown time'})`
