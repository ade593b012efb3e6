import type { CloudflareApi } from '../mtls/client.ts'
import { originPullCertificatePath, originPullPath, originPullSettingsPath } from '../endpoints.ts'
import { isCertificateId, refusedId } from '../values.ts'
import { enabledOf, originPullCertificateOf, originPullListOf, type OriginPullCertificate } from './answers.ts'
import { withoutKey } from './key-safe.ts'
import { apiErrorOf, checked } from '../access/client.ts'

/**
 * Zone-level Authenticated Origin Pulls: the client certificates Cloudflare presents to every origin
 * of the zone (the most recently deployed one is used). Needs "Zone: SSL and Certificates" (Edit).
 */

export async function listZoneOriginCertificates(api: CloudflareApi, zoneId: string): Promise<OriginPullCertificate[]> {
  const { result, resultInfo } = await api.call(
    `list the origin pull certificates of zone ${zoneId}`,
    'GET',
    originPullPath(zoneId),
    undefined,
    { zoneId },
  )
  return checked("read Cloudflare's answer about origin pull certificates", () => originPullListOf(result, resultInfo))
}

/**
 * Uploads a certificate with its key. After a lost answer, the listing is searched with `find` first.
 * The key is never in what this returns or throws.
 */
export function uploadZoneOriginCertificate(
  api: CloudflareApi,
  zoneId: string,
  upload: { certificate: string; privateKey: string },
  find: (certificates: readonly OriginPullCertificate[]) => OriginPullCertificate | undefined,
): Promise<OriginPullCertificate> {
  return withoutKey(upload.privateKey, async () => {
    const lookFirst = async () => {
      const found = find(await listZoneOriginCertificates(api, zoneId))
      return found && { result: { id: found.id, status: found.status } }
    }
    const { result } = await api.call(
      `upload the origin pull certificate of zone ${zoneId}`,
      'POST',
      originPullPath(zoneId),
      { certificate: upload.certificate, private_key: upload.privateKey },
      { zoneId, lookFirst },
    )
    return checked("read Cloudflare's answer about origin pull certificates", () => originPullCertificateOf(result))
  })
}

export async function readZoneOriginCertificate(
  api: CloudflareApi,
  zoneId: string,
  id: string,
): Promise<OriginPullCertificate | 'absent'> {
  if (!isCertificateId(id)) throw refusedId(id)
  try {
    const { result } = await api.call(
      `read origin pull certificate ${id} of zone ${zoneId}`,
      'GET',
      originPullCertificatePath(zoneId, id),
      undefined,
      { zoneId },
    )
    return checked("read Cloudflare's answer about origin pull certificates", () => originPullCertificateOf(result))
  } catch (error) {
    if (apiErrorOf(error)?.notFound) return 'absent'
    throw error
  }
}

export async function deleteZoneOriginCertificate(api: CloudflareApi, zoneId: string, id: string): Promise<void> {
  if (!isCertificateId(id)) throw refusedId(id)
  const lookFirst = async () =>
    (await readZoneOriginCertificate(api, zoneId, id)) === 'absent' ? { result: { id } } : undefined
  // The published description asks for a JSON body on this DELETE.
  await api.call(
    `delete origin pull certificate ${id} of zone ${zoneId}`,
    'DELETE',
    originPullCertificatePath(zoneId, id),
    {},
    { zoneId, lookFirst },
  )
}

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
