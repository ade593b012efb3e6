import type { CloudflareApi } from '../mtls/client.ts'
import { isCertificateId, refusedId } from '../values.ts'
import { originPullCertificateOf, originPullListOf, type OriginPullCertificate } from './answers.ts'
import { withoutKey } from './key-safe.ts'
import { apiErrorOf, checked } from '../access/client.ts'

/**
 * The certificate calls both kinds of Authenticated Origin Pulls share, zone-level (zone.ts) and per
 * hostname (hostnames.ts): list, upload (looking first after a lost answer, the key in nothing
 * returned or thrown), read one (`absent` on 404) and delete (gone after a lost answer counts as
 * deleted). A kind gives its paths and how its calls are named.
 */
export interface OriginPullKind {
  listPath: (zoneId: string) => string
  certificatePath: (zoneId: string, id: string) => string
  /** How a failure to read an answer starts. */
  answer: string
  what: {
    list: (zoneId: string) => string
    upload: (zoneId: string) => string
    read: (id: string, zoneId: string) => string
    delete: (id: string, zoneId: string) => string
  }
}

export async function listOriginCertificates(
  api: CloudflareApi,
  kind: OriginPullKind,
  zoneId: string,
): Promise<OriginPullCertificate[]> {
  const { result, resultInfo } = await api.call(kind.what.list(zoneId), 'GET', kind.listPath(zoneId), undefined, {
    zoneId,
  })
  return checked(kind.answer, () => originPullListOf(result, resultInfo))
}

export function uploadOriginCertificate(
  api: CloudflareApi,
  kind: OriginPullKind,
  zoneId: string,
  upload: { certificate: string; privateKey: string },
  find: (certificates: readonly OriginPullCertificate[]) => OriginPullCertificate | undefined,
): Promise<OriginPullCertificate> {
  return withoutKey(upload.privateKey, async () => {
    const lookFirst = async () => {
      const found = find(await listOriginCertificates(api, kind, zoneId))
      return found && { result: { id: found.id, status: found.status } }
    }
    const { result } = await api.call(
      kind.what.upload(zoneId),
      'POST',
      kind.listPath(zoneId),
      { certificate: upload.certificate, private_key: upload.privateKey },
      { zoneId, lookFirst },
    )
    return checked(kind.answer, () => originPullCertificateOf(result))
  })
}

export async function readOriginCertificate(
  api: CloudflareApi,
  kind: OriginPullKind,
  zoneId: string,
  id: string,
): Promise<OriginPullCertificate | 'absent'> {
  if (!isCertificateId(id)) throw refusedId(id)
  try {
    const { result } = await api.call(kind.what.read(id, zoneId), 'GET', kind.certificatePath(zoneId, id), undefined, {
      zoneId,
    })
    return checked(kind.answer, () => originPullCertificateOf(result))
  } catch (error) {
    if (apiErrorOf(error)?.notFound) return 'absent'
    throw error
  }
}

export async function deleteOriginCertificate(
  api: CloudflareApi,
  kind: OriginPullKind,
  zoneId: string,
  id: string,
): Promise<void> {
  if (!isCertificateId(id)) throw refusedId(id)
  const lookFirst = async () =>
    (await readOriginCertificate(api, kind, zoneId, id)) === 'absent' ? { result: { id } } : undefined
  // The published description asks for a JSON body on this DELETE.
  await api.call(kind.what.delete(id, zoneId), 'DELETE', kind.certificatePath(zoneId, id), {}, { zoneId, lookFirst })
}
