import { ApiError } from '../errors.ts'
import { isObject } from '../envelope.ts'

/**
 * Authenticated Origin Pulls as Cloudflare answers: zone-level certificates, per-hostname certificates
 * and hostname assignments, read field by field. Another shape is an error, never "none" or "active".
 */

/** Cloudflare's statuses for a certificate or an assignment; any other text is kept, and is not `active`. */
export const ORIGIN_PULL_STATUSES = [
  'initializing',
  'pending_deployment',
  'pending_deletion',
  'active',
  'deleted',
  'deployment_timed_out',
  'deletion_timed_out',
] as const

export interface OriginPullCertificate {
  id: string
  status: string
  /** The certificate's PEM as Cloudflare re-encodes it: compared by content (DER), never as text. */
  certificate?: string
  expiresOn?: string
  uploadedOn?: string
  issuer?: string
  /** Zone-level only: whether this certificate is the one in use. */
  enabled?: boolean
}

export interface HostnameAssignment {
  hostname: string
  /** The per-hostname certificate it points at; undefined when none. */
  certId?: string
  /** The assignment's status (`active` once Cloudflare presents the certificate for it). */
  status?: string
  certStatus?: string
  /** `null`: Cloudflare voided the assignment. */
  enabled?: boolean | null
}

const wrongShape = (message: string): ApiError =>
  new ApiError(message, 200, [], { retryable: false, outcomeUnknown: false })

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** A certificate object (zone-level or per hostname); its private key, if Cloudflare echoed one, is dropped. */
export function originPullCertificateOf(value: unknown): OriginPullCertificate {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '')
    throw wrongShape("Cloudflare's answer is not an origin pull certificate with an id")
  const read: OriginPullCertificate = { id: value.id, status: text(value.status) ?? 'unknown' }
  const fields = {
    certificate: 'certificate',
    expiresOn: 'expires_on',
    uploadedOn: 'uploaded_on',
    issuer: 'issuer',
  } as const
  for (const [key, field] of Object.entries(fields) as [keyof typeof fields, string][]) {
    const found = text(value[field])
    if (found !== undefined) read[key] = found
  }
  if (typeof value.enabled === 'boolean') read.enabled = value.enabled
  return read
}

/** A listing: every certificate, or an error when it is no list or `result_info` tells of more pages. */
export function originPullListOf(
  result: unknown,
  resultInfo: Record<string, unknown> | undefined,
): OriginPullCertificate[] {
  if (!Array.isArray(result)) throw wrongShape("Cloudflare's answer is not a list of origin pull certificates")
  const pages = resultInfo?.total_pages
  const total = resultInfo?.total_count
  if ((typeof pages === 'number' && pages > 1) || (typeof total === 'number' && total > result.length)) {
    throw wrongShape(
      `Cloudflare listed ${result.length} origin pull certificates of more (result_info ${JSON.stringify({ total_pages: pages, total_count: total })}), so the listing is partial`,
    )
  }
  return result.map(originPullCertificateOf)
}

/** One hostname's assignment (`GET …/hostnames/{hostname}`, or an item of the PUT's answer). */
export function hostnameAssignmentOf(value: unknown, hostname?: string): HostnameAssignment {
  if (!isObject(value)) throw wrongShape("Cloudflare's answer is not a hostname's origin pull assignment")
  const name = text(value.hostname) ?? hostname
  if (name === undefined || (hostname !== undefined && name.toLowerCase() !== hostname.toLowerCase()))
    throw wrongShape(`Cloudflare's answer is not the origin pull assignment of ${hostname ?? 'a hostname'}`)
  const read: HostnameAssignment = { hostname: name }
  const certId = text(value.cert_id)
  if (certId) read.certId = certId
  const status = text(value.status)
  if (status) read.status = status
  const certStatus = text(value.cert_status)
  if (certStatus) read.certStatus = certStatus
  if (typeof value.enabled === 'boolean' || value.enabled === null) read.enabled = value.enabled
  return read
}

/** `{enabled}` of the zone's settings. */
export function enabledOf(result: unknown): boolean {
  if (isObject(result) && typeof result.enabled === 'boolean') return result.enabled
  throw wrongShape("Cloudflare's answer is not the zone's origin pull setting (no enabled true or false)")
}
