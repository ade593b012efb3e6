import { ApiError } from '../errors.ts'
import { isObject } from '../envelope.ts'
import { plural } from '../../core/text.ts'

/**
 * Cloudflare's answers, in the shapes this action reads them: each read checks the shape and keeps
 * fields of their declared types only, so that no consumer meets a number where it expects text, and
 * an answer of another shape is an error, never "none".
 */

/** An mTLS certificate as Cloudflare describes it (certificateObject in the OpenAPI). */
export interface MtlsCertificate {
  id: string
  name?: string
  issuer?: string
  serial_number?: string
  signature?: string
  expires_on?: string
  uploaded_on?: string
  updated_at?: string
  ca?: boolean
  certificates?: string
  type?: string
}

export interface UploadBody {
  ca: boolean
  certificates: string
  name?: string
  private_key?: string
}

export interface Association {
  service?: string
  status?: string
}

/**
 * One listing of the account's own certificates. `partial` says, when Cloudflare's `result_info` tells
 * of more certificates than the answer holds (more pages, or a larger total), how many were not seen.
 */
export interface CertificateListing {
  certificates: MtlsCertificate[]
  partial?: string
}

/** What an upload found: the certificate, and whether this call stored it or found it in the account. */
export type Uploaded =
  | { certificate: MtlsCertificate; uploaded: true }
  /** Found in the account; `afterLostAnswer`: an earlier attempt of this call may have stored it. */
  | { certificate: MtlsCertificate; uploaded: false; afterLostAnswer: boolean }

const TEXT_FIELDS = [
  'name',
  'issuer',
  'serial_number',
  'signature',
  'expires_on',
  'uploaded_on',
  'updated_at',
  'certificates',
] as const

/**
 * A certificate from an answer, with each field of its declared type or left out, so that no consumer
 * meets a number where it expects text; undefined without an id. A `type` that is not text is kept as
 * text that is not `custom`: read as absent, it would make a certificate of unknown kind the user's own.
 */
export function certificateFrom(value: unknown): MtlsCertificate | undefined {
  if (!isObject(value) || typeof value.id !== 'string') return undefined
  const certificate: MtlsCertificate = { id: value.id }
  for (const field of TEXT_FIELDS) {
    const text = value[field]
    if (typeof text === 'string') certificate[field] = text
  }
  if (typeof value.ca === 'boolean') certificate.ca = value.ca
  if (value.type !== undefined)
    certificate.type = typeof value.type === 'string' ? value.type : JSON.stringify(value.type)
  return certificate
}

/**
 * What a listing's `result_info` says was left out, if anything: the endpoint documents no page
 * parameter, so the rest cannot be asked for, only noticed. Only more pages count: `total_count` is
 * documented as the total "without any search parameters", so with `?type=custom` it may count the
 * managed certificates left out on purpose; it only sizes the message.
 */
export function partialListing(returned: number, info: Record<string, unknown> | undefined): string | undefined {
  const count = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) ? value : undefined
  const totalPages = count(info?.total_pages)
  if (totalPages === undefined || totalPages <= 1) return undefined
  const totalCount = count(info?.total_count)
  const total = totalCount !== undefined && totalCount > returned ? ` of ${totalCount}` : ''
  return `Cloudflare listed ${plural(returned, 'certificate')}${total} (page 1 of ${totalPages}): the listing is partial`
}

export function associationsOf(result: unknown): Association[] {
  if (Array.isArray(result) && result.every(isObject)) return result
  throw new ApiError(
    "Cloudflare's answer is not a list of associations, so whether a service uses the certificate is unknown",
    200,
    [],
    { retryable: false, outcomeUnknown: false },
  )
}

export function certificateOf(result: unknown): MtlsCertificate {
  const certificate = certificateFrom(result)
  if (!certificate) {
    throw new ApiError('Cloudflare reported success but its answer holds no certificate id', 200, [], {
      retryable: false,
      outcomeUnknown: true,
    })
  }
  return certificate
}
