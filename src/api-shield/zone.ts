import { OperationError } from '../core/errors.ts'
import { missingFrom, needsWrite, planAttach, planRelease } from './plan.ts'
import type { Clock } from '../core/clock.ts'
import type { ZoneHostnamesClient } from '../cloudflare/client.ts'
import { backoffDelay, type Backoff } from '../cloudflare/retry.ts'

/**
 * API Shield mTLS: the zone's hostnames whose client certificates a CA verifies. Attaching the new
 * CA and releasing an old one, through the client of one zone (which always names the CA: without an
 * mtls_certificate_id, Cloudflare's calls act on the zone's managed CA instead).
 */

export interface HostnameLog {
  info(message: string): void
}

/** What the step did, or would do, with the new CA's hostnames. */
export interface HostnameAttachment {
  zoneId: string
  /** The CA's hostnames in the zone after the step (in a dry run: after a real run). */
  hostnames: string[]
  /** Given and not there before: added (in a dry run: would be). */
  attached: string[]
  /** Given and there already. */
  alreadyThere: string[]
}

/**
 * Read, merge, write, read back: the given hostnames join those the CA has. A re-run finds them all
 * there and writes nothing; a dry run only reads (nothing, when the CA is not uploaded yet). The write
 * replaces the CA's whole list, so another run writing at the same moment can undo it: what counts is
 * the list Cloudflare holds afterwards, and a given hostname missing from it fails the attach, before
 * any old CA gives up a hostname.
 */
export async function attachHostnames(
  zone: ZoneHostnamesClient,
  certificateId: string | undefined,
  given: readonly string[],
  dryRun: boolean,
  log: HostnameLog,
  justUploaded = false,
): Promise<HostnameAttachment> {
  const current = certificateId === undefined ? [] : await zone.read(certificateId, justUploaded)
  const plan = planAttach(current, given)
  const ca = certificateId ?? '(not uploaded yet)'
  const there = plan.alreadyThere.length > 0 ? ` (already there: ${plan.alreadyThere.join(', ')})` : ''
  if (!needsWrite(plan)) {
    log.info(`CA ${ca} already serves ${given.join(', ')} in zone ${zone.zoneId}: nothing to attach.`)
  } else if (dryRun || certificateId === undefined) {
    log.info(`Dry run: would attach ${plan.attached.join(', ')} in zone ${zone.zoneId} to CA ${ca}${there}.`)
  } else {
    await zone.write(certificateId, plan.after)
    const stored = await zone.read(certificateId)
    const missing = missingFrom(stored, given)
    if (missing.length > 0) {
      throw new OperationError(
        `After the write, Cloudflare lists CA ${certificateId} in zone ${zone.zoneId} without ${missing.join(', ')}: another run may have written this CA's hostnames at the same moment, so no older CA was detached`,
      )
    }
    log.info(`Attached ${plan.attached.join(', ')} in zone ${zone.zoneId} to CA ${certificateId}${there}.`)
    return { zoneId: zone.zoneId, hostnames: stored, attached: plan.attached, alreadyThere: plan.alreadyThere }
  }
  return { zoneId: zone.zoneId, hostnames: plan.after, attached: plan.attached, alreadyThere: plan.alreadyThere }
}

/** What releasing an old CA did, or would do, with its hostnames in the zone. */
export interface HostnameRelease {
  /** Taken off the old CA, as the new one serves them (in a dry run: would be). */
  detached: string[]
  /** Left on the old CA: this step was not given them, so the old CA is still needed there. */
  kept: string[]
}

/**
 * Takes off an old CA the hostnames the new one serves, in one write that keeps the rest. Called only
 * once the new CA is attached (make before break); what the new CA serves is read again right before,
 * as another run may have rewritten its list since.
 */
export async function releaseHostnames(
  zone: ZoneHostnamesClient,
  oldCertificateId: string,
  readNewServes: () => Promise<readonly string[]>,
  dryRun: boolean,
): Promise<HostnameRelease> {
  const newServes = await readNewServes()
  const plan = planRelease(await zone.read(oldCertificateId), newServes)
  if (plan.detach.length > 0 && !dryRun) await zone.write(oldCertificateId, plan.keep)
  return { detached: plan.detach, kept: plan.keep }
}

/** Between reads of an old CA's associations after its hostnames were detached. */
export const ASSOCIATION_POLL: Readonly<Backoff> = { baseDelayMs: 1000, maxDelayMs: 10_000 }

/**
 * Cloudflare goes on reporting a CA in use for a while after its hostnames are removed, and refuses
 * to delete it meanwhile: reads its associations, with backoff, until there are none or the next read
 * would start after `deadlineAt`. Returns the last answer (empty: free to delete).
 */
export async function waitUntilUnused<T>(
  read: () => Promise<readonly T[]>,
  clock: Clock,
  deadlineAt: number,
): Promise<readonly T[]> {
  for (let attempt = 1; ; attempt++) {
    const associations = await read()
    if (associations.length === 0) return associations
    const wait = backoffDelay(attempt, ASSOCIATION_POLL, () => clock.random())
    if (clock.now() + wait >= deadlineAt) return associations
    await clock.sleep(wait)
  }
}
