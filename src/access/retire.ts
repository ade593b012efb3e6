import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { AccessOwner } from '../cloudflare/endpoints.ts'
import {
  deleteAccessCertificate,
  readAccessCertificate,
  refusedForAssociations,
  setAccessHostnames,
} from '../cloudflare/access/client.ts'
import { errorMessage } from '../core/errors.ts'

/**
 * Retiring an Access CA, as Cloudflare allows it: detach its hostnames (PUT `[]`), read it until its
 * hostnames read empty, then delete, again after a wait while Cloudflare still reports "active
 * associations" (it notices a detach late). All waits come out of the run's time budget; when it runs
 * out, the CA is kept, and named, for a later run.
 */

/** Reads after the detach, and deletes, each at most this many; waits of 2 s, 4 s, 8 s … between them. */
export const RETIRE_ATTEMPTS = 5
export const FIRST_WAIT_MS = 2000

export type RetireOutcome =
  { id: string; outcome: 'deleted'; waitedMs: number } | { id: string; outcome: 'kept'; reason: string }

export async function retireAccessCertificate(
  api: CloudflareApi,
  owner: AccessOwner,
  { id, name, hostnames }: { id: string; name: string; hostnames: readonly string[] },
  /** The CA it was replaced by: each hostname the old CA still reads must be on it before the detach. */
  successor?: string,
): Promise<RetireOutcome> {
  const started = api.clock.now()
  const kept = (why: string): RetireOutcome => ({
    id,
    outcome: 'kept',
    reason: `Access CA '${name}' (${id}) was kept for a later run: ${why}`,
  })
  /** Waits before attempt `n` (from 1), unless the wait would outlast the time budget. */
  const waitBefore = async (n: number): Promise<boolean> => {
    const wait = FIRST_WAIT_MS * 2 ** (n - 1)
    if (api.clock.now() + wait >= api.deadlineAt()) return false
    await api.clock.sleep(wait)
    return true
  }

  const current = await readAccessCertificate(api, owner, id)
  if (current === 'absent') return { id, outcome: 'deleted', waitedMs: 0 }
  // Only the entry's own earlier CA: one renamed since (taken over by hand, Terraform) is not this run's to delete.
  if (current.name !== name) return kept(`it is now named '${current.name ?? ''}', not '${name}'`)
  // An answer without its hostnames is no permission to detach hostnames this run never saw.
  if (current.associatedHostnames === undefined) return kept("Cloudflare's answer held no list of its hostnames")
  // A hostname it was not serving when the run looked was given to it since: it is not this run's to take.
  const added = current.associatedHostnames.filter((h) => !hostnames.includes(h))
  // Not "for a later run": a later run keeps a CA that serves hostnames outside the entry, too.
  if (added.length > 0)
    return {
      id,
      outcome: 'kept',
      reason: `Access CA '${name}' (${id}) was kept: it now serves ${added.join(', ')}, which it did not when this run read it, so nothing was detached; a later run keeps it too while it serves hostnames the entry does not list. Move them off it on purpose (or add them to the entry), then re-run`,
    }
  if (current.associatedHostnames.length > 0) {
    // Given back to the old CA since the move (and off the new one): a detach would leave it with no CA.
    const orphaned = await notOn(api, owner, successor, current.associatedHostnames)
    if (orphaned.length > 0)
      return kept(`it still serves ${orphaned.join(', ')}, which the CA that replaces it does not`)
    await setAccessHostnames(api, owner, id, [])
  }

  let empty = false
  for (let read = 1; read <= RETIRE_ATTEMPTS && !empty; read++) {
    const now = await readAccessCertificate(api, owner, id)
    if (now === 'absent') return { id, outcome: 'deleted', waitedMs: api.clock.now() - started }
    empty = now.associatedHostnames !== undefined && now.associatedHostnames.length === 0
    // No wait after the last read: nothing reads again after it.
    if (!empty && read < RETIRE_ATTEMPTS && !(await waitBefore(read)))
      return kept(`it still reads ${describe(now.associatedHostnames)} after the detach, and timeout-seconds ran out`)
  }
  if (!empty) return kept(`it still read hostnames after ${RETIRE_ATTEMPTS} reads following the detach`)

  for (let attempt = 1; ; attempt++) {
    try {
      await deleteAccessCertificate(api, owner, id)
      return { id, outcome: 'deleted', waitedMs: api.clock.now() - started }
    } catch (error) {
      if (!refusedForAssociations(error)) throw error
      if (attempt >= RETIRE_ATTEMPTS)
        return kept(`Cloudflare still refused the delete after ${RETIRE_ATTEMPTS} attempts (${errorMessage(error)})`)
      if (!(await waitBefore(attempt)))
        return kept(`Cloudflare refused the delete (${errorMessage(error)}), and timeout-seconds ran out`)
    }
  }
}

const describe = (hostnames: readonly string[] | undefined): string =>
  hostnames === undefined ? 'no list of hostnames' : `hostnames (${hostnames.join(', ')})`

/** The hostnames `successor` does not hold (all of them without a successor, or once it is gone). */
async function notOn(
  api: CloudflareApi,
  owner: AccessOwner,
  successor: string | undefined,
  hostnames: readonly string[],
): Promise<string[]> {
  const read = successor === undefined ? 'absent' : await readAccessCertificate(api, owner, successor)
  const held = read === 'absent' ? [] : (read.associatedHostnames ?? []).map((h) => h.toLowerCase())
  return hostnames.filter((h) => !held.includes(h.toLowerCase()))
}
