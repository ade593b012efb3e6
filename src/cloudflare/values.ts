import { OperationError } from '../core/errors.ts'

/**
 * Checks on values from Cloudflare's answers, and on the saved state made of them, before they decide
 * a request or a delete: what does not pass is never acted on.
 */

/**
 * Cloudflare's mTLS certificate ids: UUIDs, as its API gives them, or 32 hex digits, as its OpenAPI
 * example has them. Anything else (`..`, `a/b`, an empty id) would change the URL it is put in.
 */
const CERTIFICATE_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

export const isCertificateId = (id: unknown): id is string => typeof id === 'string' && CERTIFICATE_ID.test(id)

/** An id that is not Cloudflare's would change the URL it goes into (`..`): refused before any request. */
export const refusedId = (id: string): OperationError =>
  new OperationError(
    `Refused to send a request for certificate id '${id}': it is not one Cloudflare gives (a UUID or 32 hex digits)`,
  )

/** A date and time with its offset, as Cloudflare writes them (`2025-11-01T00:00:00Z`, fractions allowed). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/

/**
 * The time in milliseconds, or undefined for anything but an ISO 8601 date and time: `Date.parse`
 * alone reads `1` as the year 2001 and a number as a year, which would make a certificate "older".
 */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_TIME.test(value)) return undefined
  const time = Date.parse(value)
  return Number.isFinite(time) ? time : undefined
}

/** The type the action's own uploads have; Cloudflare also lists certificates it manages for Gateway and Access. */
export const CUSTOM_TYPE = 'custom'

/** A certificate the user uploaded, not one Cloudflare manages; an answer without a type is an older one's. */
export const isCustom = (certificate: { type?: unknown }): boolean =>
  certificate.type === undefined || certificate.type === CUSTOM_TYPE

/** A certificate's name as this action gives it: one line of at most 200 characters. */
export const isCertificateName = (name: string): boolean => name.length <= 200 && !/\p{Cc}/u.test(name)
