import { planAttach, planRelease, needsWrite } from './hostname-plan.ts'
import { backoffDelay, type Backoff, type Clock } from './retry.ts'

/**
 * API Shield mTLS: the zone's hostnames whose client certificates a CA verifies. Attaching the new
 * CA and releasing an old one, through a client for one zone that always names the CA: without an
 * mtls_certificate_id, Cloudflare's calls act on the zone's managed CA instead.
 */

/** One zone's hostname associations, per CA. */
export interface ZoneHostnames {
  readonly zoneId: string
  /** The zone's hostnames associated with this CA. */
  read(certificateId: string): Promise<string[]>
  /** Replaces the CA's whole list in the zone (an empty list removes them all). */
  write(certificateId: string, hostnames: readonly string[]): Promise<void>
}

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
 * Read, merge, write: the given hostnames join those the CA has. A re-run finds them all there and
 * writes nothing; a dry run only reads (nothing, when the CA is not uploaded yet).
 */
export async function attachHostnames(
  zone: ZoneHostnames,
  certificateId: string | undefined,
  given: readonly string[],
  dryRun: boolean,
  log: HostnameLog,
): Promise<HostnameAttachment> {
  const current = certificateId === undefined ? [] : await zone.read(certificateId)
  const plan = planAttach(current, given)
  const ca = certificateId ?? '(not uploaded yet)'
  const there = plan.alreadyThere.length > 0 ? ` (already there: ${plan.alreadyThere.join(', ')})` : ''
  if (!needsWrite(plan)) {
    log.info(`CA ${ca} already serves ${given.join(', ')} in zone ${zone.zoneId}: nothing to attach.`)
  } else if (dryRun || certificateId === undefined) {
    log.info(`Dry run: would attach ${plan.attached.join(', ')} in zone ${zone.zoneId} to CA ${ca}${there}.`)
  } else {
    await zone.write(certificateId, plan.after)
    log.info(`Attached ${plan.attached.join(', ')} in zone ${zone.zoneId} to CA ${certificateId}${there}.`)
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
 * once the new CA is attached (make before break).
 */
export async function releaseHostnames(
  zone: ZoneHostnames,
  oldCertificateId: string,
  newServes: readonly string[],
  dryRun: boolean,
): Promise<HostnameRelease> {
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

/** How the step authenticates: the permission a zone call needs is named for it. */
export type AuthKind = 'token' | 'global-key'

/**
 * What to do about a failed zone call: for a refusal, the zone permission (for the auth in use), on
 * top of the account permission the upload needs; for a zone it cannot route to, zone-id.
 */
export function zoneHint(status: number, codes: readonly number[], auth: AuthKind, zoneId: string): string | undefined {
  if (codes.includes(7003) || codes.includes(7000) || status === 404) {
    return `Check zone-id: ${zoneId} must be the ID of a zone that the credentials can reach (the Zone ID on the zone's Overview page, in the account of account-id).`
  }
  if (status !== 401 && status !== 403) return undefined
  return auth === 'token'
    ? `The API token needs the zone permission "Zone → SSL and Certificates → Edit" on zone ${zoneId}, as well as "Account → SSL and Certificates → Edit" for the upload: edit the token in the dashboard (My Profile → API Tokens) to add it.`
    : `The Cloudflare user of api-email needs a role on zone ${zoneId} that may edit SSL and Certificates (Zone → SSL and Certificates → Edit, as in the Administrator role), as well as the account's SSL and Certificates: check the user's roles under Manage Account → Members.`
}
