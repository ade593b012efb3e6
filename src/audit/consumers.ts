import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { consumersOf, readInventory, unreadSummary, type Inventory } from '../consumers/inventory.ts'
import { flagged, type ExpiryReport } from './expiry-report.ts'

/**
 * Who breaks when a certificate expires: the same inventory replace reads (consumers/), every kind,
 * with whatever the audit's token may read. What it may not read is said once, and each certificate's
 * users are marked as leaving it out, never guessed as "none".
 */

/** Every kind: every Worker with its dispatch namespaces, Pages projects, Hyperdrive configs. */
export const readAuditConsumers = (api: CloudflareApi): Promise<Inventory> =>
  readInventory(api, { workers: 'every', pages: true, hyperdrive: true, rollbackDeployments: 0 })

/** The report with each flagged certificate's consumers before its associations' services. */
export function withConsumers(report: ExpiryReport, inventory: Inventory): ExpiryReport {
  const wanted = new Set(flagged(report).map((c) => c.id))
  const unread = inventory.unread.map((u) => u.what)
  const certificates = report.certificates.map((c) => {
    // A certificate whose associations could not be read stays "not checked": its users are not all known.
    if (!wanted.has(c.id) || c.inUse === undefined) return c
    return {
      ...c,
      inUse: [...consumersOf(inventory, c.id), ...c.inUse],
      ...(unread.length > 0 ? { usersUnread: `${unread.join(', ')} not read` } : {}),
    }
  })
  return { ...report, certificates }
}

/** The one warning for what the token may not read; undefined when it read everything. */
export function auditUnreadWarning(inventory: Inventory): string | undefined {
  if (inventory.unread.length === 0) return undefined
  const { parts, permissions } = unreadSummary(inventory.unread)
  return `The audit could not read every consumer of the certificates (${parts}): who uses an expiring certificate leaves those out. Give the API token ${permissions} to name them.`
}
