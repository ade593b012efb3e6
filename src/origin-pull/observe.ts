import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { HostnameAssignment, OriginPullCertificate } from '../cloudflare/origin-pull/answers.ts'
import { listHostnameOriginCertificates, readHostnameAssignment } from '../cloudflare/origin-pull/hostnames.ts'
import { listZoneOriginCertificates, readZoneOriginPullEnabled } from '../cloudflare/origin-pull/zone.ts'

/** What the planners read first (reads only): the zone's certificates, and each hostname's assignment. */

export async function observeHostnameOriginPull(
  api: CloudflareApi,
  zoneId: string,
  hostnames: readonly string[],
): Promise<{ certificates: OriginPullCertificate[]; assignments: HostnameAssignment[] }> {
  const certificates = await listHostnameOriginCertificates(api, zoneId)
  const assignments: HostnameAssignment[] = []
  for (const hostname of hostnames) assignments.push(await readHostnameAssignment(api, zoneId, hostname))
  return { certificates, assignments }
}

export async function observeZoneOriginPull(
  api: CloudflareApi,
  zoneId: string,
): Promise<{ certificates: OriginPullCertificate[]; enabled: boolean }> {
  return {
    certificates: await listZoneOriginCertificates(api, zoneId),
    enabled: await readZoneOriginPullEnabled(api, zoneId),
  }
}
