import { log } from '../action/log.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { CloudflareApi } from '../cloudflare/client.ts'
import { keepBoundCertificates, readWorkerBindings, type WorkerBindings } from '../wrangler/workers.ts'
import { describe } from './plan.ts'
import type { Replacement } from './policy.ts'

/**
 * No Worker left bound to a deleted certificate: before replace judges an older certificate, the
 * bindings of the Workers are read (once per replace run, on first need), and one a Worker binds is
 * kept. Bindings that cannot be read keep every older certificate (fail closed).
 */

/** The Workers a rotation checks: those its Wrangler files deploy, every Worker (`check-workers`), or none. */
export type WorkerScope = readonly string[] | 'every'

/** The bindings, read at most once however often asked; the warning for unknown bindings logged once. */
export type WorkerCheck = () => Promise<WorkerBindings>

/** Whether the scope names any Worker: none without Wrangler files and with check-workers off. */
export const checksWorkers = (scope: WorkerScope): boolean => scope === 'every' || scope.length > 0

/** Undefined when there is nothing to check. */
export function workerCheck(api: CloudflareApi, scope: WorkerScope): WorkerCheck | undefined {
  if (!checksWorkers(scope)) return undefined
  let read: Promise<WorkerBindings> | undefined
  return () =>
    (read ??= readWorkerBindings(api, scope).then((bindings) => {
      if (!bindings.known) log.warning(bindings.message)
      return bindings
    }))
}

/** One scope for the rotations of a step, so that the post step reads the Workers once for all of them. */
export function combinedScope(scopes: readonly WorkerScope[]): WorkerScope {
  if (scopes.includes('every')) return 'every'
  return [...new Set(scopes.flatMap((scope) => (scope === 'every' ? [] : scope)))]
}

/**
 * The older certificate kept for a Worker, before anything else is read of it; undefined when none
 * binds it. Kept for unknown bindings, it is a line of the log: the one warning has said why.
 */
export async function keptForWorker(
  check: WorkerCheck | undefined,
  certificate: MtlsCertificate,
): Promise<Replacement | undefined> {
  if (!check) return undefined
  const bindings = await check()
  const [kept] = keepBoundCertificates(bindings, [certificate.id]).kept
  return kept && { ...describe(certificate), action: 'kept', reason: kept.reason, warn: bindings.known }
}

/** The candidates no Worker binds (all of them when there is nothing to check). */
export async function freeOfWorkers(check: WorkerCheck | undefined, ids: readonly string[]): Promise<string[]> {
  if (!check || ids.length === 0) return [...ids]
  return keepBoundCertificates(await check(), ids).free
}

/**
 * One check per scope for a step of many certificates: each is memoised (workerCheck), so the Workers
 * are read once for every certificate of that scope, check-workers' every Worker once for all of them.
 */
export function sharedWorkerChecks(api: CloudflareApi): (scope: WorkerScope) => WorkerCheck | undefined {
  const checks = new Map<string, WorkerCheck | undefined>()
  return (scope) => {
    const key = scope === 'every' ? 'every' : JSON.stringify([...scope].sort())
    if (!checks.has(key)) checks.set(key, workerCheck(api, scope))
    return checks.get(key)
  }
}
