import type { CloudflareApi } from '../mtls/client.ts'
import { accessCertificatePath, accessCertificatesPath, type AccessOwner } from '../endpoints.ts'
import { ApiError } from '../errors.ts'
import { OperationError } from '../../core/errors.ts'
import { isCertificateId, refusedId } from '../values.ts'
import { accessCertificateOf, accessPageOf, type AccessCertificate } from './answers.ts'

/**
 * Access mTLS certificates (Zero Trust), account-wide or in one zone: each function one endpoint,
 * through the client's retried call. Needs "Access: Mutual TLS Certificates" (Read to list, Edit to change).
 */

/** Cloudflare's page size here, and how many pages a listing may take before it is taken as runaway. */
export const ACCESS_PAGE_SIZE = 50
const MAX_PAGES = 100

export const ownerText = (owner: AccessOwner): string =>
  'zoneId' in owner ? `zone ${owner.zoneId}` : `account ${owner.accountId}`

/** Every Access certificate, all pages read; a listing that may be partial is an error, never "none". */
export async function listAccessCertificates(api: CloudflareApi, owner: AccessOwner): Promise<AccessCertificate[]> {
  const all: AccessCertificate[] = []
  for (let page = 1; page <= MAX_PAGES; page++) {
    const what = `list the Access certificates of ${ownerText(owner)} (page ${page})`
    const { result, resultInfo } = await api.call(
      what,
      'GET',
      accessCertificatesPath(owner, page, ACCESS_PAGE_SIZE),
      undefined,
      zoneOf(owner),
    )
    const { certificates, more } = checked(what, () => accessPageOf(result, resultInfo, page, ACCESS_PAGE_SIZE))
    all.push(...certificates)
    if (!more) return all
  }
  throw new OperationError(
    `Could not list the Access certificates of ${ownerText(owner)}: Cloudflare still had more after ${MAX_PAGES} pages, so the listing is partial`,
  )
}

export interface AccessUpload {
  certificate: string
  name: string
  associatedHostnames?: readonly string[]
}

/**
 * Uploads a CA. After an attempt whose answer was lost, the listing is searched with `find` first
 * (by fingerprint), so that the CA is never stored twice.
 */
export async function uploadAccessCertificate(
  api: CloudflareApi,
  owner: AccessOwner,
  upload: AccessUpload,
  find: (certificates: readonly AccessCertificate[]) => AccessCertificate | undefined,
): Promise<AccessCertificate> {
  const body = {
    certificate: upload.certificate,
    name: upload.name,
    ...(upload.associatedHostnames ? { associated_hostnames: [...upload.associatedHostnames] } : {}),
  }
  const lookFirst = async () => {
    const found = find(await listAccessCertificates(api, owner))
    return found && { result: { id: found.id, name: found.name, associated_hostnames: found.associatedHostnames } }
  }
  const { result } = await api.call(
    `upload Access CA '${upload.name}' to ${ownerText(owner)}`,
    'POST',
    accessCertificatesPath(owner),
    body,
    { ...zoneOf(owner), lookFirst },
  )
  return checked("read Cloudflare's answer about the Access certificate", () => accessCertificateOf(result, true))
}

/** Sets a CA's whole list of hostnames (an empty list detaches them all); repeating it is harmless. */
export async function setAccessHostnames(
  api: CloudflareApi,
  owner: AccessOwner,
  id: string,
  hostnames: readonly string[],
): Promise<AccessCertificate> {
  checkId(id)
  const { result } = await api.call(
    `set the hostnames of Access CA ${id}`,
    'PUT',
    accessCertificatePath(owner, id),
    { associated_hostnames: [...hostnames] },
    zoneOf(owner),
  )
  return checked("read Cloudflare's answer about the Access certificate", () => accessCertificateOf(result))
}

/** One CA as Cloudflare reads it now; `absent` when it is not there (404). */
export async function readAccessCertificate(
  api: CloudflareApi,
  owner: AccessOwner,
  id: string,
): Promise<AccessCertificate | 'absent'> {
  checkId(id)
  try {
    const { result } = await api.call(
      `read Access CA ${id}`,
      'GET',
      accessCertificatePath(owner, id),
      undefined,
      zoneOf(owner),
    )
    return checked("read Cloudflare's answer about the Access certificate", () => accessCertificateOf(result))
  } catch (error) {
    if (apiErrorOf(error)?.notFound) return 'absent'
    throw error
  }
}

/** Deletes a CA; one already gone after an attempt whose answer was lost counts as deleted. */
export async function deleteAccessCertificate(api: CloudflareApi, owner: AccessOwner, id: string): Promise<void> {
  checkId(id)
  const lookFirst = async () =>
    (await readAccessCertificate(api, owner, id)) === 'absent' ? { result: { id } } : undefined
  await api.call(`delete Access CA ${id}`, 'DELETE', accessCertificatePath(owner, id), undefined, {
    ...zoneOf(owner),
    lookFirst,
  })
}

/** Cloudflare refused a delete because hostnames are still associated: it notices a detach late. */
export function refusedForAssociations(error: unknown): boolean {
  const cause = apiErrorOf(error)
  return cause !== undefined && cause.status < 500 && /associat/i.test(cause.message)
}

/** Cloudflare refused a hostname that another Access CA already has. */
export function refusedForTakenHostname(error: unknown): boolean {
  const cause = apiErrorOf(error)
  return cause !== undefined && cause.status < 500 && /already|another certificate|in use/i.test(cause.message)
}

/**
 * An answer read by `read` after the retried call: a shape it refuses fails as the call would have,
 * `Could not <what>: …`, never as an unexpected error.
 */
export function checked<T>(what: string, read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof ApiError) throw new OperationError(`Could not ${what}: ${error.message}`, { cause: error })
    throw error
  }
}

/** The ApiError behind an error of the retried call (OperationError with a cause), if any. */
export function apiErrorOf(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error
  const cause = error instanceof Error ? error.cause : undefined
  return cause instanceof ApiError ? cause : undefined
}

const zoneOf = (owner: AccessOwner): { zoneId?: string } => ('zoneId' in owner ? { zoneId: owner.zoneId } : {})

function checkId(id: string): void {
  if (!isCertificateId(id)) throw refusedId(id)
}
