import { log } from '../action/log.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { readInventory, type Inventory } from '../consumers/inventory.ts'
import { keepUsedCertificates, unreadWarning } from '../consumers/keep.ts'
import { NO_OTHER_CONSUMERS, readsAnything, type ConsumerOptions, type ConsumerScope } from '../consumers/scope.ts'
import { describe } from './plan.ts'
import type { Replacement } from './policy.ts'

/**
 * Nothing in use deleted: before replace judges an older certificate, the consumers of the account's
 * certificates are read (consumers/: the Workers' deployed versions, and with check-consumers Pages
 * projects and Hyperdrive configs), once per replace run, on first need, and one in use is kept.
 * What cannot be read keeps every older certificate (fail closed), said in one warning.
 */

/** The Workers a rotation checks: those its Wrangler files deploy, every Worker (`check-workers`), or none. */
export type WorkerScope = readonly string[] | 'every'

/** The inventory, read at most once however often asked; the warning for an unread part logged once. */
export type WorkerCheck = () => Promise<Inventory>

/** Whether the scope names any Worker: none without Wrangler files and with check-workers off. */
export const checksWorkers = (scope: WorkerScope): boolean => scope === 'every' || scope.length > 0

/** Whether a rotation reads any consumer: Workers, or the other kinds check-consumers names. */
export const checksConsumers = (scope: WorkerScope, options: ConsumerOptions = NO_OTHER_CONSUMERS): boolean =>
  checksWorkers(scope) || options.pages || options.hyperdrive

/** Undefined when there is nothing to check. */
export function workerCheck(
  api: CloudflareApi,
  scope: WorkerScope,
  options: ConsumerOptions = NO_OTHER_CONSUMERS,
): WorkerCheck | undefined {
  const consumers: ConsumerScope = { workers: scope, ...options }
  if (!readsAnything(consumers)) return undefined
  let read: Promise<Inventory> | undefined
  return () =>
    (read ??= readInventory(api, consumers).then((inventory) => {
      const warning = unreadWarning(inventory)
      if (warning) log.warning(warning)
      return inventory
    }))
}

/**
 * The older certificate kept for its consumers, before anything else is read of it; undefined when
 * none uses it. Kept for an unread inventory, it is a line of the log: the one warning has said why.
 */
export async function keptForWorker(
  check: WorkerCheck | undefined,
  certificate: MtlsCertificate,
  moved?: ReadonlySet<string>,
): Promise<Replacement | undefined> {
  if (!check) return undefined
  const inventory = await check()
  const { kept, afterDeploy } = keepUsedCertificates(inventory, [certificate.id], moved)
  const [after] = afterDeploy
  const [keep] = kept
  if (after) return { ...describe(certificate), action: 'delete', reason: after.reason, warn: false }
  return keep && { ...describe(certificate), action: 'kept', reason: keep.reason, warn: inventory.unread.length === 0 }
}

/** The candidates nothing uses (all of them when there is nothing to check), or only what the deploy moves. */
export async function freeOfWorkers(
  check: WorkerCheck | undefined,
  ids: readonly string[],
  moved?: ReadonlySet<string>,
): Promise<string[]> {
  if (!check || ids.length === 0) return [...ids]
  const { free, afterDeploy } = keepUsedCertificates(await check(), ids, moved)
  return [...free, ...afterDeploy.map((after) => after.id)]
}

/**
 * One check per scope for a step of many certificates: each is memoised (workerCheck), so the consumers
 * are read once for every certificate of that scope, check-workers' every Worker once for all of them.
 */
export function sharedWorkerChecks(
  api: CloudflareApi,
): (scope: WorkerScope, consumers: ConsumerOptions) => WorkerCheck | undefined {
  const checks = new Map<string, WorkerCheck | undefined>()
  return (scope, consumers) => {
    const key = JSON.stringify([scope === 'every' ? 'every' : [...scope].sort(), consumers])
    if (!checks.has(key)) checks.set(key, workerCheck(api, scope, consumers))
    return checks.get(key)
  }
}

/** Every check a retire reads: the Workers' (and other consumers'), then those of other targets (Hyperdrive). */
export const checksOf = (reads: { workers?: WorkerCheck; alsoUsedBy?: readonly WorkerCheck[] }): WorkerCheck[] => [
  ...(reads.workers ? [reads.workers] : []),
  ...(reads.alsoUsedBy ?? []),
]

/**
 * The older certificate kept for a consumer of any check; undefined when none keeps it. `afterDeploy`:
 * in a forecast, why nothing will keep it once this job has moved its own consumers; the caller still
 * judges it on everything else (its hostnames, its associations), as the real run will.
 */
export async function keptForConsumers(
  reads: { workers?: WorkerCheck; alsoUsedBy?: readonly WorkerCheck[]; movedByDeploy?: ReadonlySet<string> },
  certificate: MtlsCertificate,
): Promise<{ kept?: Replacement; afterDeploy?: string }> {
  let afterDeploy: string | undefined
  for (const check of checksOf(reads)) {
    const found = await keptForWorker(check, certificate, reads.movedByDeploy)
    if (found?.action === 'kept') return { kept: found }
    afterDeploy ??= found?.reason
  }
  return afterDeploy === undefined ? {} : { afterDeploy }
}

/** The candidates no check's consumer keeps. */
export async function freeOfConsumers(
  reads: { workers?: WorkerCheck; alsoUsedBy?: readonly WorkerCheck[]; movedByDeploy?: ReadonlySet<string> },
  ids: readonly string[],
): Promise<string[]> {
  let free = [...ids]
  for (const check of checksOf(reads)) free = await freeOfWorkers(check, free, reads.movedByDeploy)
  return free
}
