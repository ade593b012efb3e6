import type { CloudflareApi } from '../cloudflare/client.ts'
import { errorMessage } from '../core/errors.ts'
import { endSentence } from '../core/text.ts'
import { log } from '../action/log.ts'
import { logReplacements, replaceOlder } from './replace-older.ts'
import type { RetireReads } from './read.ts'
import { loadRotations, type SavedRotation } from './saved-rotation.ts'
import { renderPostFailure, renderPostSummary } from './summary.ts'
import { combinedOptions, combinedScope, workerCheck, type WorkerCheck } from './workers.ts'

/**
 * The post step's `replace` (`replace-when: end-of-job`), after every other step of the job has
 * succeeded (action.yml's `post-if: success()`), so that deploy steps have moved off the old
 * certificate first. Everything about each certificate is in the saved state; the entry (src/post.ts)
 * reads the step-wide API inputs and builds the client. Nothing here fails the job: the new
 * certificates are in place, and anything left is reported as a warning.
 */

/** The rotations the main step saved, when there are any it can trust; says why not otherwise. */
export function rotationsToFinish(): SavedRotation[] | undefined {
  const saved = loadRotations()
  if (!saved) {
    log.info('Nothing to replace: the main step scheduled no replace for the end of the job.')
    return undefined
  }
  if ('problem' in saved) {
    log.warning(
      `Replace at the end of the job deletes nothing: the rotation the main step saved for it cannot be trusted (${saved.problem}). The new certificate is in place; delete older certificates with its name by hand, or re-run the job.`,
    )
    return undefined
  }
  return saved.rotations
}

/**
 * Each rotation finished on its own: one that fails is a warning naming it and leaves the others to
 * finish. Returns each one's section of the job summary.
 */
export async function finishRotations(api: CloudflareApi, rotations: readonly SavedRotation[]): Promise<string[]> {
  // The consumers are read once for every rotation that checks them, on first need.
  const check = workerCheck(
    api,
    combinedScope(rotations.flatMap((r) => (r.workers ? [r.workers] : []))),
    combinedOptions(rotations.flatMap((r) => (r.consumers ? [r.consumers] : []))),
  )
  const sections: string[] = []
  for (const [index, rotation] of rotations.entries()) {
    try {
      sections.push(await finish(api, rotation, rotation.workers || rotation.consumers ? check : undefined))
    } catch (error) {
      const { id, name } = rotation.target
      const which = rotations.length === 1 ? '' : ` rotation ${index + 1} of ${rotations.length} (${id})`
      log.warning(
        `Replace at the end of the job could not finish${which}: ${endSentence(errorMessage(error))} The new certificate is in place; older certificates named '${name}' are left as they were.`,
      )
      sections.push(renderPostFailure(rotation.target, errorMessage(error)))
    }
  }
  return sections
}

/** One rotation: the older certificates of its name retired, its section of the summary returned. */
async function finish(
  api: CloudflareApi,
  { target, apiShield }: SavedRotation,
  workers: WorkerCheck | undefined,
): Promise<string> {
  const detachFirst = apiShield
    ? `, first detaching from them the hostnames of zone ${apiShield.zoneId} that ${target.id} serves`
    : ''
  log.info(
    `Replace, at the end of the job: deleting the certificates named '${target.name}' uploaded before ${target.id} that no service uses now${detachFirst}.`,
  )
  const reads: RetireReads = { api, ...(workers ? { workers } : {}) }
  if (apiShield) {
    // What the new CA serves is read again before each old CA gives up a hostname.
    const client = api.zoneHostnames(apiShield.zoneId)
    reads.zone = { client, newServes: () => client.read(target.id) }
  }
  const replacements = await replaceOlder(reads, await api.listCertificates(), target)
  if (replacements.length === 0) log.info(`No older certificate named '${target.name}' is left to delete.`)
  logReplacements(replacements)
  return renderPostSummary(target, replacements, apiShield?.zoneId)
}
