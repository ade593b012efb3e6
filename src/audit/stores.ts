/**
 * The audit's reading of the other two places Cloudflare keeps mTLS certificates: Access CAs (the
 * account's, and those of the zones in `zone-ids`), and Authenticated Origin Pulls certificates (zone-level and per hostname) of the zones in
 * `zone-ids`. Each becomes a listing entry like the account store's, audited by the same thresholds,
 * with its hostnames as what uses it. Reads only.
 */
import { X509Certificate } from 'node:crypto'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { AccessOwner } from '../cloudflare/endpoints.ts'
import { listAccessCertificates } from '../cloudflare/access/client.ts'
import {
  listHostnameOriginCertificates,
  readHostnameAssignment,
  isHostname,
} from '../cloudflare/origin-pull/hostnames.ts'
import { listZoneOriginCertificates } from '../cloudflare/origin-pull/zone.ts'
import { errorMessage, InputError } from '../core/errors.ts'
import { printable } from '../core/text.ts'

export interface StoreListing {
  certificates: MtlsCertificate[]
  /** What uses each, by id: its hostnames (`access app.example.com`, `origin pull api.example.com`). */
  usage: Map<string, string[]>
  /** Why a store could not be read, for a warning; the audit goes on without it. */
  warnings: string[]
}

/** What uses a per-hostname certificate none of whose names points at it: Cloudflare lists no assignments. */
export const UNKNOWN_HOSTNAMES = 'origin pull, hostnames unknown'

/** At most this many names of a per-hostname certificate are looked up as hostnames. */
const MAX_NAMES = 20

/** `zone-ids`: one per line or comma-separated, each a Zone ID; none by default. */
export function parseZoneIds(value: string): string[] {
  const ids = value
    .split(/[\n,]/)
    .map((id) => id.trim())
    .filter(Boolean)
  if (ids.length > 100)
    throw new InputError("Input 'zone-ids' takes at most 100 Zone IDs, one per line or comma-separated.")
  for (const id of ids)
    if (!/^[0-9a-f]{32}$/i.test(id))
      throw new InputError(
        `Input 'zone-ids': '${printable(id)}' is not a Zone ID (32 hexadecimal characters, in the API section of the zone's Overview page; not the domain name).`,
      )
  return [...new Set(ids.map((id) => id.toLowerCase()))]
}

export async function readStores(api: CloudflareApi, zoneIds: readonly string[]): Promise<StoreListing> {
  const listing: StoreListing = { certificates: [], usage: new Map(), warnings: [] }
  await addAccess(api, { accountId: api.accountId }, listing)
  for (const zoneId of zoneIds) {
    // A zone's own Access CAs (zone-wide): a token that may not read them gets a warning.
    await addAccess(api, { zoneId }, listing)
    // Asked for by name in zone-ids: a failure here fails the audit (the error says which zone).
    for (const certificate of await listZoneOriginCertificates(api, zoneId)) {
      listing.certificates.push(originEntry(certificate, `origin pull, zone-level (zone ${zoneId})`))
      listing.usage.set(certificate.id, [
        `origin pull zone ${zoneId}${certificate.status === 'active' ? '' : ` (${certificate.status})`}`,
      ])
    }
    for (const certificate of await listHostnameOriginCertificates(api, zoneId)) {
      const hostnames = await hostnamesOf(api, zoneId, certificate.id, certificate.certificate)
      listing.certificates.push(originEntry(certificate, `origin pull, per hostname (zone ${zoneId})`))
      // Found by looking up its own names: none found is not "not in use" (a client certificate rarely
      // names the hostnames it is assigned to), so it says the hostnames are unknown rather than "none".
      listing.usage.set(
        certificate.id,
        hostnames.length > 0 ? hostnames.map((h) => `origin pull ${h}`) : [UNKNOWN_HOSTNAMES],
      )
    }
  }
  return listing
}

function originEntry(
  certificate: { id: string; certificate?: string; expiresOn?: string },
  name: string,
): MtlsCertificate {
  return {
    id: certificate.id,
    name,
    ca: false,
    ...(certificate.certificate ? { certificates: certificate.certificate } : {}),
    ...(certificate.expiresOn ? { expires_on: certificate.expiresOn } : {}),
  }
}

/**
 * The hostnames pointing at a per-hostname certificate. Cloudflare lists no assignments, so the names
 * the certificate carries (its subject alternative names and common name) are looked up one by one.
 */
async function hostnamesOf(api: CloudflareApi, zoneId: string, id: string, pem: string | undefined): Promise<string[]> {
  const found: string[] = []
  for (const name of namesIn(pem).slice(0, MAX_NAMES)) {
    const assignment = await readHostnameAssignment(api, zoneId, name)
    if (assignment.certId === id) found.push(name)
  }
  return found
}

function namesIn(pem: string | undefined): string[] {
  if (!pem) return []
  try {
    const certificate = new X509Certificate(pem)
    const alternatives = (certificate.subjectAltName ?? '')
      .split(', ')
      .flatMap((entry) => (entry.startsWith('DNS:') ? [entry.slice(4)] : []))
    const common = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1]
    return [...new Set([...alternatives, ...(common ? [common] : [])])].filter(isHostname)
  } catch {
    return []
  }
}

/** The report's store certificates with their hostnames as what uses them. */
export function withStoreUsage<T extends { id: string; inUse?: string[] }>(
  certificates: readonly T[],
  usage: StoreListing['usage'],
): T[] {
  return certificates.map((c) => {
    const hostnames = usage.get(c.id)
    return hostnames ? { ...c, inUse: [...hostnames].sort() } : c
  })
}

/** An owner's Access CAs as listing entries; one that cannot be read is a warning, the audit going on. */
async function addAccess(api: CloudflareApi, owner: AccessOwner, listing: StoreListing): Promise<void> {
  const where = 'zoneId' in owner ? `zone ${owner.zoneId}` : 'the account'
  try {
    for (const ca of await listAccessCertificates(api, owner)) {
      const name = 'zoneId' in owner ? `${ca.name ?? ''} (Access, zone ${owner.zoneId})` : `${ca.name ?? ''} (Access)`
      listing.certificates.push({ id: ca.id, name, ca: true, ...(ca.expiresOn ? { expires_on: ca.expiresOn } : {}) })
      listing.usage.set(
        ca.id,
        (ca.associatedHostnames ?? []).map((h) => `access ${h}`),
      )
    }
  } catch (error) {
    // An audit that used to pass must not fail for a permission it never needed: said, not fatal.
    listing.warnings.push(
      `Could not read the Access certificates of ${where} (${errorMessage(error)}): the report leaves them out. Give the token "Access: Mutual TLS Certificates Read" to audit them`,
    )
  }
}
