import { planRelease } from '../api-shield/plan.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { ZoneHostnamesClient } from '../cloudflare/zones/hostnames.ts'
import { errorMessage } from '../core/errors.ts'
import { log } from '../action/log.ts'
import { keptAtOnce, notChecked, planRetirement, type RetireFacts } from './plan.ts'
import type { Replacement, RotationTarget } from './policy.ts'
import type { WorkerCheck } from './workers.ts'

/** What replace reads the account through, for a dry run's plan and a real run's alike. */
export interface RetireReads {
  api: CloudflareApi
  /** API Shield: the zone, and how to learn what the new CA serves there (a dry run: its plan). */
  zone?: { client: ZoneHostnamesClient; newServes: () => Promise<readonly string[]> }
  /** Workers: the bindings that keep an older certificate (replace/workers.ts). */
  workers?: WorkerCheck
  /**
   * A plan's forecast of a retire at the end of the job: the Worker bindings the workflow's deploy
   * moves to the new certificate first (`<worker>\n<binding>`), which then no longer keep an older one.
   */
  movedByDeploy?: ReadonlySet<string>
  /** Other consumers whose use keeps an older certificate (Hyperdrive configs a manifest names). */
  alsoUsedBy?: readonly WorkerCheck[]
}

/**
 * Reads what planRetire judges one older certificate by: with API Shield, what the new CA serves and
 * the old CA's hostnames (read again right before, as another run may have rewritten them); then
 * its associations, unless it keeps hostnames (kept whatever they say) or, with `afterDetach`, gives
 * some up (read once the write is made).
 */
export async function readRetireFacts(
  { api, zone }: RetireReads,
  certificate: MtlsCertificate,
  afterDetach: boolean,
): Promise<RetireFacts> {
  const facts: RetireFacts = {}
  if (zone) {
    const newServes = await zone.newServes()
    const oldHostnames = await zone.client.read(certificate.id)
    facts.zone = { zoneId: zone.client.zoneId, newServes, oldHostnames }
    const release = planRelease(oldHostnames, newServes)
    if (release.keep.length > 0 || (afterDetach && release.detach.length > 0)) return facts
  }
  facts.associations = await api.listAssociations(certificate.id)
  return facts
}

/**
 * replace over one listing: the certificates kept at once, then `judge` for each older one in turn.
 * A failure judging one keeps it with the reason; once the time limit is spent, the rest are not
 * checked. When the listing lacks the new certificate, nothing is judged.
 */
export async function judgeOlder(
  api: CloudflareApi,
  certificates: readonly MtlsCertificate[],
  target: RotationTarget,
  judge: (certificate: MtlsCertificate) => Promise<Replacement>,
): Promise<Replacement[]> {
  const plan = planRetirement(certificates, target)
  if (plan.targetMissing) {
    log.warning(
      `Replace deletes nothing: the account's listing does not hold ${target.id ?? ''}, the certificate it rotates to (deleted since it was uploaded, or the listing is incomplete), and without it the older certificates named '${target.name}' may be the only ones left. Check the account in the dashboard, and re-run the job to upload the certificate again if it is gone.`,
    )
  }
  const replacements = [...plan.kept]
  for (const certificate of plan.older) {
    if (api.outOfTime()) {
      replacements.push(notChecked(certificate, api.timeoutSeconds))
      continue
    }
    replacements.push(
      await judge(certificate).catch((error: unknown) => failed(api, certificate, error, keptAtOnce(certificate, ''))),
    )
  }
  return replacements
}

/** A call that failed says nothing of the certificate (a zone 404 included): kept, or not checked past the time limit. */
export function failed(
  api: CloudflareApi,
  certificate: MtlsCertificate,
  error: unknown,
  base: Replacement,
): Replacement {
  if (api.outOfTime()) return { ...base, ...notChecked(certificate, api.timeoutSeconds) }
  return { ...base, action: 'kept', reason: errorMessage(error), warn: true }
}
