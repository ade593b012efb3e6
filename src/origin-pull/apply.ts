import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import {
  assignHostnames,
  deleteHostnameOriginCertificate,
  listHostnameOriginCertificates,
  readHostnameAssignment,
  uploadHostnameOriginCertificate,
} from '../cloudflare/origin-pull/hostnames.ts'
import {
  deleteZoneOriginCertificate,
  listZoneOriginCertificates,
  uploadZoneOriginCertificate,
} from '../cloudflare/origin-pull/zone.ts'
import type { OriginPullCertificate } from '../cloudflare/origin-pull/answers.ts'
import { errorMessage, OperationError } from '../core/errors.ts'
import { apiErrorOf } from '../cloudflare/access/client.ts'
import { findOriginCertificate, type OriginPullSpec, type OriginPullStep } from './plan.ts'
import { waitForHostnames, waitForZoneCertificate } from './wait.ts'
import { afterFailedWait } from './wait-failed.ts'

/**
 * Carrying out an origin pull plan (plan.ts), one step at a time, per hostname or zone-level. The key
 * goes to the upload only; lines come back as values and never hold it.
 */

export interface OriginPullApplied {
  id?: string
  /** When Cloudflare says the certificate was uploaded (the upload's answer, or the listing's for a reuse). */
  uploadedOn?: string
  /** The certificates the attached hostnames served before (the attach step's `from`). */
  before?: { hostname: string; id: string }[]
  uploaded: boolean
  lines: string[]
  warnings: string[]
  deleted: string[]
}

export const emptyOriginPullResult = (): OriginPullApplied => ({
  uploaded: false,
  lines: [],
  warnings: [],
  deleted: [],
})

export interface OriginPullTarget {
  zoneId: string
  spec: OriginPullSpec
  /** The leaf's private key, for the upload only. */
  privateKey: string
  /** The zone's hostnames other entries of the manifest list: a retire keeps what they point at. */
  others?: readonly string[]
}

const perHostname = (target: OriginPullTarget): boolean => target.spec.hostnames.length > 0

export async function applyOriginPullStep(
  api: CloudflareApi,
  target: OriginPullTarget,
  step: OriginPullStep,
  result: OriginPullApplied,
): Promise<void> {
  const { zoneId } = target
  const kind = perHostname(target) ? 'per-hostname' : 'zone-level'
  switch (step.action) {
    case 'upload': {
      const { stored, adopted } = await uploadOrAdopt(api, target)
      Object.assign(result, { id: stored.id, uploaded: !adopted, uploadedOn: stored.uploadedOn })
      result.lines.push(
        adopted
          ? `The ${kind} origin pull certificate was uploaded to zone ${zoneId} meanwhile (by another entry or run) as ${stored.id}: no upload.`
          : `Uploaded the ${kind} origin pull certificate to zone ${zoneId} as ${stored.id}.`,
      )
      return
    }
    case 'reuse':
      Object.assign(result, { id: step.id, uploadedOn: step.uploadedOn })
      result.lines.push(`The ${kind} origin pull certificate is already in zone ${zoneId} as ${step.id}: no upload.`)
      return
    case 'attach': {
      const id = needId(result)
      await assignHostnames(
        api,
        zoneId,
        step.hostnames.map((hostname) => ({ hostname, certId: id, enabled: true })),
      )
      result.before = step.from ?? []
      result.lines.push(`Pointed ${step.hostnames.join(', ')} at origin pull certificate ${id}.`)
      return
    }
    case 'wait': {
      const id = needId(result)
      const waited = perHostname(target)
        ? await waitForHostnames(api, zoneId, step.hostnames, id).catch((error: unknown) =>
            afterFailedWait(api, zoneId, error, result.before ?? []),
          )
        : await waitForZoneCertificate(api, zoneId, id)
      result.lines.push(
        `Origin pull certificate ${id} is active${step.hostnames.length > 0 ? ` for ${step.hostnames.join(', ')}` : ''} (after ${Math.round(waited / 1000)} s).`,
      )
      return
    }
    case 'retire':
      await retire(api, target, step.id, result)
      return
    case 'keep':
      result.lines.push(`Kept origin pull certificate ${step.id}: ${step.reason}.`)
  }
}

/**
 * Deletes a replaced certificate, never the spec's own; per hostname, only once each of the entry's
 * hostnames reads as pointing at the new one and none the manifest lists in the zone at the old one
 * (read again now, not as planned).
 */
async function retire(
  api: CloudflareApi,
  target: OriginPullTarget,
  id: string,
  result: OriginPullApplied,
): Promise<void> {
  const { zoneId, spec } = target
  if (id === result.id)
    throw new OperationError(`Refused to delete origin pull certificate ${id}: it is the one this entry uploads`)
  if (perHostname(target)) {
    const reads = []
    for (const hostname of [...spec.hostnames, ...(target.others ?? [])])
      reads.push(await readHostnameAssignment(api, zoneId, hostname))
    const still = reads.flatMap((a) => (a.certId === id ? [a.hostname] : []))
    // Fail closed: a read that does not name the new certificate is no proof the old one is unused.
    const unsure = reads
      .slice(0, spec.hostnames.length)
      .flatMap((a) => (a.certId !== id && a.certId !== result.id ? [a.hostname] : []))
    if (still.length === 0 && unsure.length > 0) {
      result.warnings.push(
        `Origin pull certificate ${id} was kept: ${unsure.join(', ')} did not read as pointing at the new certificate ${result.id ?? ''}; once nothing uses it, delete it by hand (SSL/TLS → Origin Server).`,
      )
      return
    }
    if (still.length > 0) {
      result.warnings.push(
        `Origin pull certificate ${id} was kept: ${still.join(', ')} still read as pointing at it; a later run deletes it once none does.`,
      )
      return
    }
    try {
      await deleteHostnameOriginCertificate(api, zoneId, id)
    } catch (error) {
      // The new certificate serves by now: a refusal (a hostname not in the entry uses the old one) is a warning.
      const status = apiErrorOf(error)?.status ?? 0
      if (status < 400 || status >= 500 || status === 401 || status === 403) throw error
      result.warnings.push(
        `Origin pull certificate ${id} was kept: Cloudflare refused the delete (${errorMessage(error)}), so a hostname outside this entry may still use it. None of the entry's hostnames points at it any more, so a later run does not find it: add that hostname to the entry, or delete the certificate by hand (SSL/TLS → Origin Server) once nothing uses it.`,
      )
      return
    }
  } else await deleteZoneOriginCertificate(api, zoneId, id)
  result.deleted.push(id)
  result.lines.push(`Deleted the replaced origin pull certificate ${id} of zone ${zoneId}.`)
}

/**
 * Uploads the certificate; when Cloudflare refuses, and the zone now holds the same certificate (compared
 * by content: another entry of the manifest with other hostnames, or another run, uploaded it since the
 * plan read the zone), adopts that one instead of failing.
 */
async function uploadOrAdopt(
  api: CloudflareApi,
  target: OriginPullTarget,
): Promise<{ stored: OriginPullCertificate; adopted: boolean }> {
  const { zoneId, spec } = target
  const upload = { certificate: spec.certificate, privateKey: target.privateKey }
  const find = (all: readonly OriginPullCertificate[]) => findOriginCertificate(all, spec.certificate)
  try {
    const stored = perHostname(target)
      ? await uploadHostnameOriginCertificate(api, zoneId, upload, find)
      : await uploadZoneOriginCertificate(api, zoneId, upload, find)
    return { stored, adopted: false }
  } catch (error) {
    const status = apiErrorOf(error)?.status ?? 0
    if (status < 400 || status >= 500 || [401, 403, 429].includes(status)) throw error
    const all = perHostname(target)
      ? await listHostnameOriginCertificates(api, zoneId)
      : await listZoneOriginCertificates(api, zoneId)
    const found = find(all)
    if (found === undefined) throw error
    return { stored: found, adopted: true }
  }
}

function needId(result: OriginPullApplied): string {
  if (result.id === undefined)
    throw new OperationError('The origin pull plan has no upload or reuse before it uses the certificate')
  return result.id
}
