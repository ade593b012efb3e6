import type { Inventory } from './inventory.ts'
import { consumersOf, unreadSummary } from './inventory.ts'

/**
 * The inventory as replace uses it: which candidates something uses (kept, with who) and which none
 * does (free to delete); all kept when a part could not be read, with the one warning that says why.
 */

/** A certificate kept for its consumers, and why. */
export interface KeptForConsumers {
  id: string
  /** `used by Worker payments (PAYMENTS_CERT, 90 %) and Hyperdrive orders-db (client)`, or that it is unknown. */
  reason: string
}

/** The one warning for an inventory not wholly read; undefined when it was. */
export function unreadWarning(inventory: Inventory): string | undefined {
  if (inventory.unread.length === 0) return undefined
  const { parts, permissions } = unreadSummary(inventory.unread)
  return `Could not read what uses the certificates (${parts}), so every older certificate is kept. The API token needs ${permissions} on this account to check them.`
}

/** Which candidates a consumer still uses (kept) and which none does (free to delete). Pure. */
export function keepUsedCertificates(
  inventory: Inventory,
  candidateIds: readonly string[],
): { kept: KeptForConsumers[]; free: string[] } {
  if (inventory.unread.length > 0) {
    const reason = `kept: what uses it could not be read (${inventory.unread.map((u) => u.what).join(', ')})`
    return { kept: candidateIds.map((id) => ({ id, reason })), free: [] }
  }
  const kept: KeptForConsumers[] = []
  const free: string[] = []
  for (const id of candidateIds) {
    const users = consumersOf(inventory, id)
    if (users.length === 0) free.push(id)
    else kept.push({ id, reason: `used by ${users.join(' and ')}` })
  }
  return { kept, free }
}
