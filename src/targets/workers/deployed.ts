import type { CloudflareApi } from '../../cloudflare/mtls/client.ts'
import { errorMessage } from '../../core/errors.ts'
import { printable } from '../../core/text.ts'
import { readWorkerServing } from '../../consumers/worker-serving.ts'
import type { BoundSection } from '../../wrangler/workers.ts'

/**
 * What each Worker the entry's files deploy serves now (its current deployment, every version), read
 * for a plan: the plan compares the certificate the manifest wants with what Cloudflare serves, not
 * with the id in the checkout.
 */

/** One Worker's binding as deployed: not deployed at all, the ids its versions serve, or not read (why). */
export type Served =
  | { kind: 'absent' }
  | { kind: 'serves'; ids: { certificateId: string; percentage: number }[] }
  | { kind: 'unread'; cause: string }

/** Each bound section's Worker read once; a section that names no Worker is not read. */
export async function readServed(
  api: CloudflareApi,
  sections: readonly BoundSection[],
): Promise<Record<string, Record<string, Served>>> {
  const workers = [...new Set(sections.flatMap((section) => (section.worker === undefined ? [] : [section.worker])))]
  const served: Record<string, Record<string, Served>> = {}
  await Promise.all(
    workers.map(async (worker) => {
      const bindings = sections.filter((s) => s.worker === worker).map((s) => s.binding)
      served[worker] = await readOne(api, worker, bindings)
    }),
  )
  return served
}

async function readOne(
  api: CloudflareApi,
  worker: string,
  bindings: readonly string[],
): Promise<Record<string, Served>> {
  try {
    const serving = await readWorkerServing(api, worker)
    return Object.fromEntries(
      bindings.map((binding): [string, Served] => [
        binding,
        serving.exists ? { kind: 'serves', ids: serving.bindings[binding] ?? [] } : { kind: 'absent' },
      ]),
    )
  } catch (error) {
    const cause = printable(errorMessage(error))
    return Object.fromEntries(bindings.map((binding): [string, Served] => [binding, { kind: 'unread', cause }]))
  }
}
