import type { CloudflareApi, MtlsCertificate } from './cloudflare.ts'
import { ApiError } from './errors.ts'

/** What `replace` did, or would do, with one older certificate of the same name. */
export interface Replacement {
  id: string
  uploadedOn?: string
  action: 'deleted' | 'kept' | 'would delete' | 'already gone'
  reason: string
  /** A kept certificate the user should look at. */
  warn: boolean
}

export interface RotationTarget {
  id?: string
  name: string
  ca: boolean
  uploadedOn: string
}

const uploadTime = (certificate: { uploaded_on?: string }): number => Date.parse(certificate.uploaded_on ?? '')

/**
 * The certificates `replace` may remove: same name and `ca` flag, uploaded before ours. Uploads are
 * ordered by time, then id, so two runs rotating at once agree on which one is newest and both keep it.
 */
export function olderSameName(certificates: readonly MtlsCertificate[], target: RotationTarget): MtlsCertificate[] {
  const ourTime = Date.parse(target.uploadedOn)
  return certificates.filter((certificate) => {
    if (certificate.id === target.id || certificate.name !== target.name || certificate.ca !== target.ca) return false
    const time = uploadTime(certificate)
    // Not uploaded yet (a dry run): a tie in time counts as older.
    return time < ourTime || (time === ourTime && (target.id === undefined || certificate.id < target.id))
  })
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
  const candidates = olderSameName(await api.listCertificates(), target)
  const replacements: Replacement[] = []
  for (const certificate of candidates) {
    const base = { id: certificate.id, ...(certificate.uploaded_on ? { uploadedOn: certificate.uploaded_on } : {}) }
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
