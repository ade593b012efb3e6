import { OperationError } from '../core/errors.ts'
import {
  missingFrom,
  needsWrite,
  planAttach,
  type AttachPlan,
  type HostnameAttachment,
  type ReleasePlan,
} from './plan.ts'
import type { Clock } from '../core/clock.ts'
import type { ZoneHostnamesClient } from '../cloudflare/zones/hostnames.ts'
import { backoffDelay, type Backoff } from '../cloudflare/retry.ts'

/**
 * API Shield mTLS: the zone's hostnames whose client certificates a CA verifies. The writes that
 * attach the new CA and release an old one, through the client of one zone (which always names the
 * CA: without an mtls_certificate_id, Cloudflare's calls act on the zone's managed CA instead). What
 * to write is planned in plan.ts.
 */

/** Reads the CA's hostnames and plans the attach: what a dry run shows, and what `attachHostnames` writes. */
export async function readAttachPlan(
  zone: ZoneHostnamesClient,
  certificateId: string | undefined,
  given: readonly string[],
  justUploaded = false,
): Promise<AttachPlan> {
  return planAttach(certificateId === undefined ? [] : await zone.read(certificateId, justUploaded), given)
}

/**
 * Read, merge, write, read back: the given hostnames join those the CA has. A re-run finds them all
 * there and writes nothing. The write replaces the CA's whole list, so another run writing at the
 * same moment can undo it: what counts is the list Cloudflare holds afterwards, and a given hostname
 * missing from it fails the attach, before any old CA gives up a hostname.
 */
export async function attachHostnames(
  zone: ZoneHostnamesClient,
  certificateId: string,
  given: readonly string[],
  justUploaded = false,
): Promise<HostnameAttachment> {
  const plan = await readAttachPlan(zone, certificateId, given, justUploaded)
  if (!needsWrite(plan)) return { ...plan, zoneId: zone.zoneId, applied: false }
  await zone.write(certificateId, plan.after)
  const stored = await zone.read(certificateId)
  const missing = missingFrom(stored, given)
  if (missing.length > 0) {
    throw new OperationError(
      `After the write, Cloudflare lists CA ${certificateId} in zone ${zone.zoneId} without ${missing.join(', ')}: another run may have written this CA's hostnames at the same moment, so no older CA was detached`,
    )
  }
  return { ...plan, after: stored, zoneId: zone.zoneId, applied: true }
}

/**
 * Takes off an old CA the hostnames the new one serves, in one write that keeps the rest. Called only
 * once the new CA is attached (make before break), with a plan made of lists read right before.
 */
export async function detachHostnames(
  zone: ZoneHostnamesClient,
  oldCertificateId: string,
  release: ReleasePlan,
): Promise<void> {
  await zone.write(oldCertificateId, release.keep)
}

/** Between reads of an old CA's associations after its hostnames were detached. */
export const ASSOCIATION_POLL: Readonly<Backoff> = { baseDelayMs: 1000, maxDelayMs: 10_000 }

/**
 * Cloudflare goes on reporting a CA in use for a while after its hostnames are removed, and refuses
 * to delete it meanwhile: reads its associations, with backoff, until there are none, an answer
 * cannot be that lag (`canBeLag`: then waiting is no use), or the next read would start after
 * `deadlineAt`. Returns the last answer (empty: free to delete).
 */
export async function waitUntilUnused<T>(
  read: () => Promise<readonly T[]>,
  clock: Clock,
  deadlineAt: number,
  canBeLag: (associations: readonly T[]) => boolean = () => true,
): Promise<readonly T[]> {
  for (let attempt = 1; ; attempt++) {
    const associations = await read()
    if (associations.length === 0 || !canBeLag(associations)) return associations
    const wait = backoffDelay(attempt, ASSOCIATION_POLL, () => clock.random())
    if (clock.now() + wait >= deadlineAt) return associations
    await clock.sleep(wait)
  }
}
