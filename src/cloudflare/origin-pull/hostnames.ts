import type { CloudflareApi } from '../mtls/client.ts'
import {
  hostnameOriginCertificatePath,
  hostnameOriginCertificatesPath,
  hostnameOriginPullAssignmentPath,
  hostnameOriginPullPath,
} from '../endpoints.ts'
import { OperationError } from '../../core/errors.ts'
import { printable } from '../../core/text.ts'
import { isCertificateId, refusedId } from '../values.ts'
import { hostnameAssignmentOf, type HostnameAssignment, type OriginPullCertificate } from './answers.ts'
import {
  deleteOriginCertificate,
  listOriginCertificates,
  readOriginCertificate,
  uploadOriginCertificate,
  type OriginPullKind,
} from './certificates.ts'
import { apiErrorOf, checked } from '../access/client.ts'

/**
 * Per-hostname Authenticated Origin Pulls: certificates (at most 10 per zone) and which hostname
 * presents which. Needs "Zone: SSL and Certificates" (Edit).
 */

/** A hostname as it may go into a path: letters, digits, `-`, `.`, `*`; anything else is refused first. */
export const isHostname = (hostname: string): boolean =>
  hostname.length <= 255 &&
  /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i.test(hostname)

/** Per hostname: certificates at `…/origin_tls_client_auth/hostnames/certificates`. */
const PER_HOSTNAME: OriginPullKind = {
  listPath: hostnameOriginCertificatesPath,
  certificatePath: hostnameOriginCertificatePath,
  answer: "read Cloudflare's answer about per-hostname origin pulls",
  what: {
    list: (zoneId) => `list the per-hostname origin pull certificates of zone ${zoneId}`,
    upload: (zoneId) => `upload a per-hostname origin pull certificate to zone ${zoneId}`,
    read: (id) => `read per-hostname origin pull certificate ${id}`,
    delete: (id, zoneId) => `delete per-hostname origin pull certificate ${id} of zone ${zoneId}`,
  },
}

export const listHostnameOriginCertificates = (api: CloudflareApi, zoneId: string): Promise<OriginPullCertificate[]> =>
  listOriginCertificates(api, PER_HOSTNAME, zoneId)

/** Uploads a leaf with its key; after a lost answer, the listing is searched with `find` first. */
export const uploadHostnameOriginCertificate = (
  api: CloudflareApi,
  zoneId: string,
  upload: { certificate: string; privateKey: string },
  find: (certificates: readonly OriginPullCertificate[]) => OriginPullCertificate | undefined,
): Promise<OriginPullCertificate> => uploadOriginCertificate(api, PER_HOSTNAME, zoneId, upload, find)

/** One per-hostname certificate as Cloudflare reads it now; `absent` when it is not there (404). */
export const readHostnameOriginCertificate = (
  api: CloudflareApi,
  zoneId: string,
  id: string,
): Promise<OriginPullCertificate | 'absent'> => readOriginCertificate(api, PER_HOSTNAME, zoneId, id)

/** Deletes one; gone after an attempt whose answer was lost counts as deleted. */
export const deleteHostnameOriginCertificate = (api: CloudflareApi, zoneId: string, id: string): Promise<void> =>
  deleteOriginCertificate(api, PER_HOSTNAME, zoneId, id)

/**
 * Points hostnames at a certificate (`enabled: true`), or voids their assignment (`certId` null →
 * `enabled: null`). A PUT sets what it names: repeating it is harmless.
 */
export async function assignHostnames(
  api: CloudflareApi,
  zoneId: string,
  config: readonly { hostname: string; certId: string; enabled: boolean | null }[],
): Promise<HostnameAssignment[]> {
  for (const { hostname, certId } of config) {
    checkHostname(hostname)
    if (!isCertificateId(certId)) throw refusedId(certId)
  }
  const { result } = await api.call(
    `point ${config.map((c) => c.hostname).join(', ')} at their origin pull certificates in zone ${zoneId}`,
    'PUT',
    hostnameOriginPullPath(zoneId),
    { config: config.map((c) => ({ hostname: c.hostname, cert_id: c.certId, enabled: c.enabled })) },
    { zoneId },
  )
  if (!Array.isArray(result)) return []
  return checked("read Cloudflare's answer about per-hostname origin pulls", () =>
    result.map((value) => hostnameAssignmentOf(value)),
  )
}

/** One hostname's assignment as Cloudflare reads it now; a hostname with none reads with no certId. */
export async function readHostnameAssignment(
  api: CloudflareApi,
  zoneId: string,
  hostname: string,
): Promise<HostnameAssignment> {
  checkHostname(hostname)
  try {
    const { result } = await api.call(
      `read the origin pull assignment of ${hostname}`,
      'GET',
      hostnameOriginPullAssignmentPath(zoneId, hostname),
      undefined,
      { zoneId },
    )
    return checked("read Cloudflare's answer about per-hostname origin pulls", () =>
      hostnameAssignmentOf(result, hostname),
    )
  } catch (error) {
    const cause = apiErrorOf(error)
    if (cause?.status === 404) return { hostname }
    throw error
  }
}

function checkHostname(hostname: string): void {
  if (!isHostname(hostname))
    throw new OperationError(
      `Refused to send a request for hostname '${printable(hostname)}': it is not a hostname (letters, digits, '-' and '.', optionally starting with '*.')`,
    )
}
