import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { errorMessage, OperationError } from '../core/errors.ts'
import { printable } from '../core/text.ts'
import { dispatchConsumers, hyperdriveConsumers, pagesConsumers, workerConsumers, type Consumer } from './readers.ts'
import type { ConsumerScope } from './scope.ts'

/**
 * One inventory of what uses the account's certificates: Workers (every version they serve or may
 * roll back to), dispatch-namespace scripts, Pages projects and Hyperdrive configs, as far as the
 * scope asks. What could not be read is listed with the permission it needs: a caller that deletes
 * keeps every candidate then (fail closed); the audit names what it could read and says what not.
 */

export type { Consumer } from './readers.ts'

/** A part of the inventory that could not be read: what, why, and the permission that reads it. */
export interface UnreadPart {
  what: string
  permission: string
  cause: string
}

export interface Inventory {
  consumers: Consumer[]
  unread: UnreadPart[]
}

/** The permissions, as the dashboard names them. */
export const PERMISSIONS = {
  workers: '"Account → Workers Scripts → Read"',
  pages: '"Account → Cloudflare Pages → Read"',
  hyperdrive: '"Account → Hyperdrive → Read"',
} as const

const causeOf = (error: unknown): string => {
  const cause = error instanceof OperationError && error.cause instanceof Error ? error.cause : error
  return printable(errorMessage(cause))
}

async function part(
  what: string,
  permission: string,
  read: () => Promise<Consumer[]>,
): Promise<{ consumers: Consumer[] } | { unread: UnreadPart }> {
  try {
    return { consumers: await read() }
  } catch (error) {
    return { unread: { what, permission, cause: causeOf(error) } }
  }
}

/** Reads every part the scope asks for, at once. */
export async function readInventory(api: CloudflareApi, scope: ConsumerScope): Promise<Inventory> {
  const every = scope.workers === 'every'
  const parts = await Promise.all([
    ...(every || scope.workers.length > 0
      ? [part('Workers', PERMISSIONS.workers, () => workerConsumers(api, scope.workers, scope.rollbackDeployments))]
      : []),
    ...(every ? [part('dispatch namespaces', PERMISSIONS.workers, () => dispatchConsumers(api))] : []),
    ...(scope.pages ? [part('Pages projects', PERMISSIONS.pages, () => pagesConsumers(api))] : []),
    ...(scope.hyperdrive ? [part('Hyperdrive configs', PERMISSIONS.hyperdrive, () => hyperdriveConsumers(api))] : []),
  ])
  return {
    consumers: parts.flatMap((p) => ('consumers' in p ? p.consumers : [])),
    unread: parts.flatMap((p) => ('unread' in p ? [p.unread] : [])),
  }
}

/** What the parts not read were, why, and the permissions they need: one sentence's parts. */
export function unreadSummary(unread: readonly UnreadPart[]): { parts: string; permissions: string } {
  const parts = unread.map((u) => `${u.what}: ${u.cause}`).join('; ')
  const permissions = [...new Set(unread.map((u) => u.permission))].join(', ')
  return { parts, permissions }
}

/** The consumers of one certificate, each described once. */
export function consumersOf(inventory: Inventory, id: string): string[] {
  const wanted = id.toLowerCase()
  return [
    ...new Set(inventory.consumers.filter((c) => c.certificateId.toLowerCase() === wanted).map((c) => c.description)),
  ]
}
