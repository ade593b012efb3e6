import type { CloudflareApi } from '../mtls/client.ts'
import { originPullCertificatePath, originPullPath, originPullSettingsPath } from '../endpoints.ts'
import { enabledOf, type OriginPullCertificate } from './answers.ts'
import { checked } from '../access/client.ts'
import {
  deleteOriginCertificate,
  listOriginCertificates,
  readOriginCertificate,
  uploadOriginCertificate,
  type OriginPullKind,
} from './certificates.ts'

/**
 * Zone-level Authenticated Origin Pulls: the client certificates Cloudflare presents to every origin
 * of the zone (the most recently deployed one is used). Needs "Zone: SSL and Certificates" (Edit).
 */

/** Zone-level: the zone's certificates, at `/zones/{zone}/origin_tls_client_auth`. */
const ZONE_LEVEL: OriginPullKind = {
  listPath: originPullPath,
  certificatePath: originPullCertificatePath,
  answer: "read Cloudflare's answer about origin pull certificates",
  what: {
    list: (zoneId) => `list the origin pull certificates of zone ${zoneId}`,
    upload: (zoneId) => `upload the origin pull certificate of zone ${zoneId}`,
    read: (id, zoneId) => `read origin pull certificate ${id} of zone ${zoneId}`,
    delete: (id, zoneId) => `delete origin pull certificate ${id} of zone ${zoneId}`,
  },
}

export const listZoneOriginCertificates = (api: CloudflareApi, zoneId: string): Promise<OriginPullCertificate[]> =>
  listOriginCertificates(api, ZONE_LEVEL, zoneId)

/**
 * Uploads a certificate with its key. After a lost answer, the listing is searched with `find` first.
 * The key is never in what this returns or throws.
 */
export const uploadZoneOriginCertificate = (
  api: CloudflareApi,
  zoneId: string,
  upload: { certificate: string; privateKey: string },
  find: (certificates: readonly OriginPullCertificate[]) => OriginPullCertificate | undefined,
): Promise<OriginPullCertificate> => uploadOriginCertificate(api, ZONE_LEVEL, zoneId, upload, find)

export const readZoneOriginCertificate = (
  api: CloudflareApi,
  zoneId: string,
  id: string,
): Promise<OriginPullCertificate | 'absent'> => readOriginCertificate(api, ZONE_LEVEL, zoneId, id)

export const deleteZoneOriginCertificate = (api: CloudflareApi, zoneId: string, id: string): Promise<void> =>
  deleteOriginCertificate(api, ZONE_LEVEL, zoneId, id)

/** Whether zone-level Authenticated Origin Pulls is on. */
export async function readZoneOriginPullEnabled(api: CloudflareApi, zoneId: string): Promise<boolean> {
  const { result } = await api.call(
    `read whether zone ${zoneId} has Authenticated Origin Pulls on`,
    'GET',
    originPullSettingsPath(zoneId),
    undefined,
    { zoneId },
  )
  return checked("read Cloudflare's answer about origin pull certificates", () => enabledOf(result))
}

export async function setZoneOriginPullEnabled(api: CloudflareApi, zoneId: string, enabled: boolean): Promise<boolean> {
  const { result } = await api.call(
    `turn Authenticated Origin Pulls ${enabled ? 'on' : 'off'} for zone ${zoneId}`,
    'PUT',
    originPullSettingsPath(zoneId),
    { enabled },
    { zoneId },
  )
  return checked("read Cloudflare's answer about origin pull certificates", () => enabledOf(result))
}
