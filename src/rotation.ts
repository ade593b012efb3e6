import { leafCertificate } from './certificate.ts'
import type { CloudflareApi, MtlsCertificate } from './cloudflare.ts'
import { ApiError } from './errors.ts'

/** What `replace` did, or would do, with one other certificate of the same name. */
export interface Replacement {
  id: string
  uploadedOn?: string
  action: 'deleted' | 'kept' | 'would delete' | 'already gone'
  reason: string
  /** A kept certificate the user should look at. */
  warn: boolean
}

export interface RotationTarget {
  /** Absent in a dry run when the certificate is not uploaded yet. */
  id?: string
  name: string
  ca: boolean
  /** The leaf's notBefore, in milliseconds. */
  issuedAt: number
  uploadedOn: string
}

/** Where a certificate stands in the order "older first": issued, then uploaded, then id. */
interface Rank {
  issuedAt: number
  uploadedAt: number
  id: string
}

function rankOf(certificate: MtlsCertificate): Rank | undefined {
  const leaf = certificate.certificates === undefined ? undefined : leafCertificate(certificate.certificates)
  const uploadedAt = Date.parse(certificate.uploaded_on ?? '')
  if (!leaf || Number.isNaN(uploadedAt)) return undefined
  return { issuedAt: leaf.validFromDate.getTime(), uploadedAt, id: certificate.id }
}

function isOlder(a: Rank, b: Rank): boolean {
  if (a.issuedAt !== b.issuedAt) return a.issuedAt < b.issuedAt
  if (a.uploadedAt !== b.uploadedAt) return a.uploadedAt < b.uploadedAt
  return a.id < b.id
}

export interface SameNameCertificates {
  /** Issued (then uploaded) before ours: what `replace` removes. */
  older: MtlsCertificate[]
  /** Uploaded before ours but issued after it: a newer certificate an old run must not remove. */
  newerUploadedBefore: MtlsCertificate[]
}

/**
 * Sorts the account's other certificates with our name and `ca` flag. "Older" means issued earlier,
 * then uploaded earlier, then a smaller id: a total order, so that two runs rotating at once agree on
 * which certificate is newest and both keep it, and an old run re-run never removes a newer one.
 */
export function sameNameCertificates(
  certificates: readonly MtlsCertificate[],
  target: RotationTarget,
): SameNameCertificates {
  const ours: Rank = {
    issuedAt: target.issuedAt,
    uploadedAt: Date.parse(target.uploadedOn),
    // Not uploaded yet (a dry run): ours sorts after any certificate with the same times.
    id: target.id ?? '\u007f',
  }
  const result: SameNameCertificates = { older: [], newerUploadedBefore: [] }
  for (const certificate of certificates) {
    if (certificate.id === target.id || certificate.name !== target.name || certificate.ca !== target.ca) continue
    const rank = rankOf(certificate)
    if (!rank) continue
    if (isOlder(rank, ours)) result.older.push(certificate)
    else if (rank.uploadedAt < ours.uploadedAt) result.newerUploadedBefore.push(certificate)
  }
  return result
}

/**
 * Make before break: called once the new certificate is in place. A certificate still associated
 * with a service is kept; a delete that fails is reported, not fatal, as the new one is in place.
 */
export async function replaceOlder(
  api: CloudflareApi,
  target: RotationTarget,
  dryRun: boolean,
): Promise<Replacement[]> {
  const { older, newerUploadedBefore } = sameNameCertificates(await api.listCertificates(), target)
  const replacements: Replacement[] = newerUploadedBefore.map((certificate) => ({
    ...describe(certificate),
    action: 'kept',
    reason: 'issued after the certificate of this run, so it is newer (is this an old run re-run?)',
    warn: true,
  }))
  for (const certificate of older) {
    const base = describe(certificate)
    try {
      const associations = await api.listAssociations(certificate.id)
      if (associations.length > 0) {
        const services = associations
          .map((a) => `${a.service ?? 'unknown service'}${a.status ? ` (${a.status})` : ''}`)
          .join(', ')
        replacements.push({ ...base, action: 'kept', reason: `still in use by ${services}`, warn: true })
        continue
      }
      if (dryRun) {
        replacements.push({ ...base, action: 'would delete', reason: 'older, same name, not in use', warn: false })
        continue
      }
      await api.deleteCertificate(certificate.id)
      replacements.push({ ...base, action: 'deleted', reason: 'older, same name, not in use', warn: false })
    } catch (error) {
      // Another run rotating the same name at the same moment may have deleted it first.
      if (error instanceof Error && error.cause instanceof ApiError && error.cause.status === 404) {
        replacements.push({ ...base, action: 'already gone', reason: 'deleted meanwhile, by another run', warn: false })
      } else {
        const reason = error instanceof Error ? error.message : String(error)
        replacements.push({ ...base, action: 'kept', reason, warn: true })
      }
    }
  }
  return replacements
}

function describe(certificate: MtlsCertificate): Pick<Replacement, 'id' | 'uploadedOn'> {
  return { id: certificate.id, ...(certificate.uploaded_on ? { uploadedOn: certificate.uploaded_on } : {}) }
}
