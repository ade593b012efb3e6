import { isCertificateId, isCustom, parseTime } from '../cloudflare/values.ts'
import type { HostnameRelease } from '../api-shield/plan.ts'
import { leafCertificate } from '../certificate/facts.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'

/**
 * `replace`'s policy: which other certificates of the same name are older, and so replaced once the
 * new one is in place. Pure; plan.ts plans with it and replace-older.ts carries it out.
 */

/** What `replace` did, or would do, with one other certificate of the same name. */
export interface Replacement {
  id: string
  uploadedOn?: string
  /** `delete`: planned (a dry run); `not checked`: the time limit ran out first, so kept. */
  action: 'deleted' | 'kept' | 'delete' | 'already gone' | 'not checked'
  reason: string
  /** A kept certificate the user should look at. */
  warn: boolean
  /** API Shield: what happened to the older CA's hostnames in the zone. */
  hostnames?: HostnameRelease
}

/** What replace did in this step, and what it leaves to the post step. */
export interface ReplaceOutcome {
  /** What replace did (or, in a dry run, would do) in this step. */
  replacements: Replacement[]
  /** The older certificates the post step will consider deleting (with end-of-job, dry run or not). */
  candidates: string[]
}

export const NO_REPLACE: ReplaceOutcome = { replacements: [], candidates: [] }

export interface RotationTarget {
  /** Absent in a dry run when the certificate is not uploaded yet. */
  id?: string
  name: string
  ca: boolean
  /** The leaf's notBefore, in milliseconds. */
  issuedAt: number
  uploadedOn: string
}

/**
 * Uploads this close together are taken for runs racing to rotate the same name; further apart, the
 * later upload of an earlier-issued certificate is an old run re-run (or a rollback).
 */
export const RACE_WINDOW_MS = 15 * 60_000

interface SameNameCertificates {
  /** Uploaded before ours (at the same time: smaller id): what `replace` removes. */
  older: MtlsCertificate[]
  /** Uploaded well before ours but issued after it: newer, so kept (an old run re-run, or a rollback). */
  newerIssued: MtlsCertificate[]
  /** Uploaded well before ours, but its text gives no issue time: it may be newer, so kept. */
  issueUnknown: MtlsCertificate[]
  /** No readable upload time: cannot be placed, so kept. */
  unknown: MtlsCertificate[]
}

/**
 * Sorts the account's other custom certificates with our name and `ca` flag. "Older" means uploaded
 * earlier, then a smaller id: a total order, so that two runs rotating at once agree on which upload
 * is newest and both keep it. One exception keeps an old run re-run from removing a newer
 * certificate: one issued after ours, or whose issue time the listing does not give, and uploaded
 * more than RACE_WINDOW_MS before it is kept. An upload time that cannot be read, ours or theirs,
 * places nothing: such certificates are kept.
 */
export function sameNameCertificates(
  certificates: readonly MtlsCertificate[],
  target: RotationTarget,
): SameNameCertificates {
  const ourUpload = parseTime(target.uploadedOn)
  // Not uploaded yet (a dry run): ours sorts after any certificate uploaded at the same time.
  const ourId = target.id ?? '\u007f'
  const result: SameNameCertificates = { older: [], newerIssued: [], issueUnknown: [], unknown: [] }
  for (const certificate of certificates) {
    if (certificate.id === target.id || certificate.name !== target.name || certificate.ca !== target.ca) continue
    if (!isCustom(certificate)) continue
    const uploaded = parseTime(certificate.uploaded_on)
    if (uploaded === undefined || ourUpload === undefined) {
      result.unknown.push(certificate)
      continue
    }
    if (uploaded > ourUpload || (uploaded === ourUpload && certificate.id >= ourId)) continue
    const issued = typeof certificate.certificates === 'string' ? leafCertificate(certificate.certificates) : undefined
    // Within the window, racing runs must agree by upload time alone, whatever the listing gives.
    if (ourUpload - uploaded <= RACE_WINDOW_MS) result.older.push(certificate)
    else if (issued === undefined) result.issueUnknown.push(certificate)
    else if (issued.validFromDate.getTime() > target.issuedAt) result.newerIssued.push(certificate)
    else result.older.push(certificate)
  }
  return result
}

/**
 * Whether the listing holds the certificate replace rotates to (a dry run's, not uploaded yet, has no
 * id). When it does not (deleted by hand since, or a partial listing), deleting the older ones could
 * leave no certificate of the name: replace deletes nothing.
 */
export const holdsTarget = (certificates: readonly MtlsCertificate[], target: RotationTarget): boolean =>
  target.id === undefined || certificates.some((certificate) => certificate.id === target.id)

/** The ids replace would delete, as the listing stands, unless a service still uses them. */
export function replaceCandidates(certificates: readonly MtlsCertificate[], target: RotationTarget): string[] {
  if (!holdsTarget(certificates, target)) return []
  return sameNameCertificates(certificates, target)
    .older.map((certificate) => certificate.id)
    .filter(isCertificateId)
}
