import { getApiSettings } from '../cloudflare/settings.ts'
import { CloudflareApi } from '../cloudflare/client.ts'
import type { Dependencies } from '../cloudflare/dependencies.ts'
import { errorMessage } from '../core/errors.ts'
import { actionInputs } from '../action/input-source.ts'
import { log } from '../action/log.ts'
import { getApiShieldSettings } from '../api-shield/settings.ts'
import { logReplacements, replaceOlder, type ZoneRelease } from './replace-older.ts'
import { registerSecretInputs } from '../action/secrets.ts'
import { loadRotation } from './saved-rotation.ts'
import { writeSummary } from '../action/job-summary.ts'
import { renderPostSummary } from './summary.ts'

/**
 * The post step: `replace` with `replace-when: end-of-job`, after every other step of the job has
 * succeeded (action.yml's `post-if: success()`), so that deploy steps have moved off the old
 * certificate first. It never fails the job: the new certificate is in place, and anything left is
 * reported as a warning.
 */
export async function runPost(dependencies: Dependencies): Promise<void> {
  const source = actionInputs()
  try {
    registerSecretInputs(source)
    const saved = loadRotation()
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
    const { target } = saved
    const api = new CloudflareApi(getApiSettings(source), dependencies.http.send, dependencies.clock, log)
    // API Shield (zone-id and hostnames, read again): the older CAs give up what the new one serves now.
    const apiShield = getApiShieldSettings(source, target.ca)
    const detachFirst = apiShield
      ? `, first detaching from them the hostnames of zone ${apiShield.zoneId} that ${target.id} serves`
      : ''
    log.info(
      `Replace, at the end of the job: deleting the certificates named '${target.name}' uploaded before ${target.id} that no service uses now${detachFirst}.`,
    )
    let zone: ZoneRelease | undefined
    if (apiShield) {
      const client = api.zoneHostnames(apiShield.zoneId)
      const newId = target.id ?? ''
      const readNewServes = () => client.read(newId)
      zone = { zone: client, readNewServes }
    }
    const replacements = await replaceOlder(api, await api.listCertificates(), target, false, zone)
    if (replacements.length === 0) log.info(`No older certificate named '${target.name}' is left to delete.`)
    logReplacements(replacements)
    await writeSummary(renderPostSummary(target, replacements, apiShield?.zoneId))
  } catch (error) {
    log.warning(
      `Replace at the end of the job could not finish: ${errorMessage(error)}. The new certificate is in place; older certificates with its name are left as they were.`,
    )
  } finally {
    await dependencies.http.close()
  }
}
