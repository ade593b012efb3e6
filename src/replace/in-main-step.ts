import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { errorMessage } from '../core/errors.ts'
import { log } from '../action/log.ts'
import { planRetire, plannedReplacement } from './plan.ts'
import { NO_REPLACE, replaceCandidates, type ReplaceOutcome, type RotationTarget } from './policy.ts'
import { judgeOlder, readRetireFacts, type RetireReads } from './read.ts'
import { replaceOlder } from './replace-older.ts'
import { someOf } from '../core/text.ts'
import { freeOfConsumers, keptForConsumers } from './workers.ts'

/**
 * A dry run's `replace`: each older certificate read and planned as a real run would judge it now,
 * nothing carried out. The candidates are what a real run would leave to the post step: none with
 * `immediately` (the plan's 'would delete' rows are its in-step deletes). A failure is a warning.
 */
export async function planReplace(
  reads: RetireReads,
  listing: readonly MtlsCertificate[],
  target: RotationTarget,
  atEndOfJob: boolean,
): Promise<ReplaceOutcome> {
  try {
    const replacements = await judgeOlder(reads.api, listing, target, async (certificate) => {
      const { kept, afterDeploy } = await keptForConsumers(reads, certificate)
      if (kept) return kept
      const planned = plannedReplacement(certificate, planRetire(await readRetireFacts(reads, certificate, false)))
      // Deleted only once the job has moved its own consumers off it: the forecast says so.
      return afterDeploy && planned.action === 'delete' ? { ...planned, reason: afterDeploy } : planned
    })
    if (!atEndOfJob) return { replacements, candidates: [] }
    return {
      replacements,
      candidates: await freeOfConsumers(reads, replaceCandidates(listing, target)),
    }
  } catch (error) {
    log.warning(
      `Replace could not be planned: ${errorMessage(error)}. Older certificates named '${target.name}' are left as they were.`,
    )
    return NO_REPLACE
  }
}

/**
 * `replace` in the main step, once the new certificate is in place, with a listing made since (make
 * before break), or the step's listing with the new certificate in it (a manifest's entries share one):
 * a failure is a warning, as the upload stands.
 */
export async function replaceInStep(
  reads: RetireReads,
  target: RotationTarget,
  listing?: readonly MtlsCertificate[],
): Promise<ReplaceOutcome> {
  try {
    const replacements = await replaceOlder(reads, listing ?? (await reads.api.listCertificates()), target)
    return { replacements, candidates: [] }
  } catch (error) {
    log.warning(
      `The certificate is in place, but replace could not finish: ${errorMessage(error)}. Older certificates named '${target.name}' are left as they were.`,
    )
    return NO_REPLACE
  }
}

/**
 * The older certificates the post step will consider, as the account stands now (the rotation is
 * saved by the caller, with the others of its step), from `listing` when the caller has one. The post
 * step lists again, so a listing that fails here is only a warning.
 */
export async function scheduledCandidates(
  api: CloudflareApi,
  target: RotationTarget,
  listing?: readonly MtlsCertificate[],
): Promise<ReplaceOutcome> {
  const candidates = await (listing ? Promise.resolve(listing) : api.listCertificates()).then(
    (certificates) => replaceCandidates(certificates, target),
    (error: unknown) => {
      log.warning(
        `The certificate is in place, but replace could not list the candidates: ${errorMessage(error)}. Older certificates named '${target.name}' are left as they were for now.`,
      )
      return []
    },
  )
  log.info(
    `Replace is scheduled for the end of the job: once every other step has succeeded, the post step deletes the certificates named '${target.name}' uploaded before this one that no service uses then${candidates.length > 0 ? ` (now: ${someOf(candidates)})` : ' (none now)'}.`,
  )
  return { replacements: [], candidates }
}
