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

/**
 * Which candidates a consumer still uses (kept), which none does (free to delete), and, with `moved`
 * (the Worker bindings the job's own deploy moves to the new certificate: a plan's forecast), which
 * only those use (free once the deploy has run, named by what it moves). Pure.
 */
export function keepUsedCertificates(
  inventory: Inventory,
  candidateIds: readonly string[],
  moved: ReadonlySet<string> = new Set(),
): { kept: KeptForConsumers[]; free: string[]; afterDeploy: KeptForConsumers[] } {
  if (inventory.unread.length > 0) {
    const reason = `what uses it could not be read (${inventory.unread.map((u) => u.what).join(', ')})`
    return { kept: candidateIds.map((id) => ({ id, reason })), free: [], afterDeploy: [] }
  }
  const kept: KeptForConsumers[] = []
  const free: string[] = []
  const afterDeploy: KeptForConsumers[] = []
  for (const id of candidateIds) {
    const users = usersOf(inventory, id)
    if (users.length === 0) free.push(id)
    else if (users.every((user) => user.deployed !== undefined && moved.has(user.deployed))) {
      const workers = [...new Set(users.map((user) => user.description))]
      const mover = users.every((user) => user.description.startsWith('Worker ')) ? 'the deploy' : 'this job'
      afterDeploy.push({ id, reason: `retired once ${mover} moves ${workers.join(' and ')}` })
    } else kept.push({ id, reason: `used by ${consumersOf(inventory, id).join(' and ')}` })
  }
  return { kept, free, afterDeploy }
}

const usersOf = (inventory: Inventory, id: string): Inventory['consumers'] =>
  inventory.consumers.filter((c) => c.certificateId.toLowerCase() === id.toLowerCase())
