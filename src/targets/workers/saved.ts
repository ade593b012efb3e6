import { isRecord } from '../../core/record.ts'
import { isWorkerName } from '../../cloudflare/workers/scripts.ts'
import { MAX_ROLLBACK_DEPLOYMENTS } from '../../consumers/scope.ts'
import type { ConsumerOptions } from '../../consumers/scope.ts'
import type { WorkerScope } from '../../replace/workers.ts'

/**
 * The Workers and other consumers a retire step saved for the post step, read back exactly as the
 * main step writes them: `every` or Worker names as Cloudflare gives them, two flags and a whole
 * number of deployments. Anything else is a problem, and the post step deletes nothing.
 */
export function savedGuard(
  saved: unknown,
): { scope: WorkerScope; consumers: ConsumerOptions; moved: string[] } | string {
  if (!isRecord(saved)) return 'its Workers are not a list of Worker names'
  const { scope, consumers, moved = [] } = saved
  if (!Array.isArray(moved) || !moved.every((m) => typeof m === 'string'))
    return 'its Workers are not a list of Worker names'
  const names = Array.isArray(scope) && scope.every((name) => typeof name === 'string' && isWorkerName(name))
  if (scope !== 'every' && !names) return 'its Workers are not a list of Worker names'
  if (!isRecord(consumers) || Object.keys(consumers).length !== 3) return CONSUMERS_PROBLEM
  const { pages, hyperdrive, rollbackDeployments: back } = consumers
  if (typeof pages !== 'boolean' || typeof hyperdrive !== 'boolean') return CONSUMERS_PROBLEM
  if (typeof back !== 'number' || !Number.isInteger(back) || back < 0 || back > MAX_ROLLBACK_DEPLOYMENTS)
    return CONSUMERS_PROBLEM
  const reads = scope === 'every' || (scope as string[]).length > 0 || pages || hyperdrive
  if (!reads) return 'its Workers are not a list of Worker names'
  return {
    scope: scope as WorkerScope,
    consumers: { pages, hyperdrive, rollbackDeployments: back },
    moved: moved,
  }
}

const CONSUMERS_PROBLEM = 'its consumers are not the Pages and Hyperdrive flags and a rollback depth'
