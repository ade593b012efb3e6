import { ApiError } from '../errors.ts'
import { isObject } from '../envelope.ts'

/**
 * Access mTLS certificates as Cloudflare answers them (`access_certificates` in the OpenAPI), read
 * field by field: an answer of another shape is an error, never "no certificate" or "no hostname".
 */

export interface AccessCertificate {
  id: string
  name?: string
  /** The hostnames Access checks client certificates against this CA for; `undefined` when the answer held no list. */
  associatedHostnames?: string[]
  /** Cloudflare's MD5 fingerprint of the CA (`MD5 Fingerprint=1E:80:…`), as text. */
  fingerprint?: string
  expiresOn?: string
  /** When Cloudflare stored it (`created_at`): the single step's `uploaded-on`. */
  createdAt?: string
}

export const wrongAccessShape = (message: string, outcomeUnknown = false): ApiError =>
  new ApiError(message, 200, [], { retryable: false, outcomeUnknown })

/** A list of strings, null (Cloudflare's "none"), or absent; anything else is refused. */
function hostnamesOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  if (value === null) return []
  if (Array.isArray(value) && value.every((hostname) => typeof hostname === 'string')) return value
  throw wrongAccessShape(
    "Cloudflare's answer holds an Access certificate whose associated_hostnames is not a list of hostnames",
  )
}

/** One Access certificate from an answer; one without an id is refused. */
export function accessCertificateOf(value: unknown, outcomeUnknown = false): AccessCertificate {
  if (!isObject(value) || typeof value.id !== 'string' || value.id === '')
    throw wrongAccessShape("Cloudflare's answer is not an Access certificate with an id", outcomeUnknown)
  const certificate: AccessCertificate = { id: value.id }
  const hostnames = hostnamesOf(value.associated_hostnames)
  if (hostnames) certificate.associatedHostnames = hostnames
  if (typeof value.name === 'string') certificate.name = value.name
  if (typeof value.fingerprint === 'string') certificate.fingerprint = value.fingerprint
  if (typeof value.expires_on === 'string') certificate.expiresOn = value.expires_on
  if (typeof value.created_at === 'string') certificate.createdAt = value.created_at
  return certificate
}

/**
 * One page of a listing: its certificates, and whether Cloudflare says more follow. A page is the
 * last when it holds fewer than asked for, or when `total_count` is reached; with neither, another
 * page is read.
 */
export function accessPageOf(
  result: unknown,
  resultInfo: Record<string, unknown> | undefined,
  page: number,
  perPage: number,
): { certificates: AccessCertificate[]; more: boolean } {
  if (!Array.isArray(result)) throw wrongAccessShape("Cloudflare's answer is not a list of Access certificates")
  const certificates = result.map((value) => accessCertificateOf(value))
  const total = resultInfo?.total_count
  const seen = (page - 1) * perPage + certificates.length
  const more = typeof total === 'number' && Number.isFinite(total) ? seen < total : certificates.length >= perPage
  if (more && certificates.length === 0) {
    throw wrongAccessShape(
      `Cloudflare says it holds ${String(total)} Access certificates but page ${page} is empty, so the listing is partial`,
    )
  }
  return { certificates, more }
}

/** Fingerprint text as digits only (`MD5 Fingerprint=1E:80:…` → `1e80…`), for comparing. */
export const fingerprintDigits = (text: string): string =>
  text
    .replace(/^.*=/, '')
    .replace(/[^0-9a-f]/gi, '')
    .toLowerCase()
