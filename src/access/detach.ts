import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { AccessOwner } from '../cloudflare/endpoints.ts'
import { ownerText, readAccessCertificate, setAccessHostnames } from '../cloudflare/access/client.ts'

/**
 * Taking hostnames off an old CA, which Cloudflare sets only as a whole list. Entries of one manifest
 * apply 4 at once, and two of them may take different hostnames off the same old CA: each writing the
 * list it planned would put back what the other took off. So a run detaches one write at a time per
 * CA, from the CA as read then (a hostname given to it since stays), less everything this run has taken
 * off it (Cloudflare may still read a detach it noticed late).
 */

interface CaWrites {
  removed: Set<string>
  queue: Promise<unknown>
}

/** Per run (one client each), per CA. */
const runs = new WeakMap<CloudflareApi, Map<string, CaWrites>>()

/** Takes `removed` off the CA; the list it keeps. `planned`: the list to keep when a read gives none. */
export function detachHostnames(
  api: CloudflareApi,
  owner: AccessOwner,
  id: string,
  removed: readonly string[],
  planned: readonly string[],
): Promise<string[]> {
  const cas = runs.get(api) ?? new Map<string, CaWrites>()
  runs.set(api, cas)
  const key = `${ownerText(owner)} ${id}`
  const writes = cas.get(key) ?? { removed: new Set<string>(), queue: Promise.resolve() }
  cas.set(key, writes)
  const write = writes.queue.then(async () => {
    for (const hostname of removed) writes.removed.add(hostname.toLowerCase())
    const current = await readAccessCertificate(api, owner, id)
    if (current === 'absent') return []
    const list = current.associatedHostnames ?? planned
    const keep = list.filter((hostname) => !writes.removed.has(hostname.toLowerCase()))
    await setAccessHostnames(api, owner, id, keep)
    return keep
  })
  writes.queue = write.catch(() => undefined)
  return write
}
