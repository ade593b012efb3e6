import { getApiSettings } from '../cloudflare/settings.ts'
import { CloudflareApi } from '../cloudflare/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { errorMessage } from '../core/errors.ts'
import { endSentence } from '../core/text.ts'
import { actionInputs } from '../action/input-source.ts'
import { log } from '../action/log.ts'
import { logReplacements, replaceOlder } from './replace-older.ts'
import type { RetireReads } from './read.ts'
import { registerSecretInputs } from '../action/secrets.ts'
import { loadRotations, type SavedRotation } from './saved-rotation.ts'
import { writeSummary } from '../action/job-summary.ts'
import { renderPostFailure, renderPostSummary } from './summary.ts'

/**
 * The post step: `replace` with `replace-when: end-of-job`, after every other step of the job has
 * succeeded (action.yml's `post-if: success()`), so that deploy steps have moved off the old
 * certificate first. It reads only the step-wide API inputs: everything about each certificate is in
 * the saved state. It never fails the job: the new certificates are in place, and anything left is
 * reported as a warning.
 */
export async function runPost(dependencies: Dependencies): Promise<void> {
  const source = actionInputs()
  try {
    registerSecretInputs(source)
    const saved = loadRotations()
    if (!saved) {
      log.info('Nothing to replace: the main step scheduled no replace for the end of the job.')
      return
    }
    if ('problem' in saved) {
      log.warning(
        `Replace at the end of the job deletes nothing: the rotation the main step saved for it cannot be trusted (${saved.problem}). The new certificate is in place; delete older certificates with its name by hand, or re-run the job.`,
      )
      return
    }
    const api = new CloudflareApi(getApiSettings(source), dependencies.http.send, dependencies.clock)
    const sections: string[] = []
    const { rotations } = saved
    // Each rotation on its own: one that fails leaves the others to finish, and a section in the summary.
    for (const [index, rotation] of rotations.entries()) {
      try {
        sections.push(await finish(api, rotation))
      } catch (error) {
        const { id, name } = rotation.target
        const which = rotations.length === 1 ? '' : ` rotation ${index + 1} of ${rotations.length} (${id})`
        log.warning(
          `Replace at the end of the job could not finish${which}: ${endSentence(errorMessage(error))} The new certificate is in place; older certificates named '${name}' are left as they were.`,
        )
        sections.push(renderPostFailure(rotation.target, errorMessage(error)))
      }
    }
    await writeSummary(sections.join(''))
  } catch (error) {
    log.warning(
      `Replace at the end of the job could not finish: ${errorMessage(error)}. The new certificate is in place; older certificates with its name are left as they were.`,
    )
  } finally {
    await dependencies.http.close()
  }
}

/** One rotation: the older certificates of its name retired, its section of the summary returned. */
async function finish(api: CloudflareApi, { target, apiShield }: SavedRotation): Promise<string> {
  const detachFirst = apiShield
    ? `, first detaching from them the hostnames of zone ${apiShield.zoneId} that ${target.id} serves`
    : ''
  log.info(
    `Replace, at the end of the job: deleting the certificates named '${target.name}' uploaded before ${target.id} that no service uses now${detachFirst}.`,
  )
  const reads: RetireReads = { api }
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
