import type { CloudflareApi } from '../cloudflare/client.ts'
import type { MtlsCertificate } from '../cloudflare/answers.ts'
import { errorMessage } from '../core/errors.ts'
import { log } from '../action/log.ts'
import { logReplacements, replaceOlder, type ZoneRelease } from './replace-older.ts'
import { NO_REPLACE, replaceCandidates, type ReplacePlan, type RotationTarget } from './policy.ts'
import { saveRotation } from './saved-rotation.ts'
import { someOf } from '../core/text.ts'

/**
 * `replace` in the main step, once the new certificate is in place: a failure is a warning, as the
 * upload stands. With a dry run's `listing`, it plans what it would do with it, deleting nothing.
 */
export async function replaceInStep(
  api: CloudflareApi,
  target: RotationTarget,
  listing: readonly MtlsCertificate[] | undefined,
  zone?: ZoneRelease,
): Promise<ReplacePlan> {
  const dryRun = listing !== undefined
  try {
    const certificates = listing ?? (await api.listCertificates())
    const replacements = await replaceOlder(api, certificates, target, dryRun, zone)
    logReplacements(replacements)
    return { replacements, candidates: dryRun ? replaceCandidates(certificates, target) : [] }
  } catch (error) {
    log.warning(
      `${dryRun ? 'Replace could not be planned' : 'The certificate is in place, but replace could not finish'}: ${errorMessage(error)}. Older certificates named '${target.name}' are left as they were.`,
    )
    return NO_REPLACE
  }
}

/**
 * `replace` left to the post step at the end of the job, with the older certificates it will consider
 * as the account stands now. The post step lists again, so a listing that fails here is only a warning.
 */
export async function scheduleReplace(api: CloudflareApi, target: RotationTarget): Promise<ReplacePlan> {
  saveRotation(target)
  const candidates = await api.listCertificates().then(
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
