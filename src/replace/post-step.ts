import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { log } from '../action/log.ts'
import { replaceOlder } from './replace-older.ts'
import type { RetireReads } from './read.ts'
import type { Replacement, RotationTarget } from './policy.ts'

/**
 * `replace` at the end of the job (`replace-when: end-of-job`), after every other step of the job has
 * succeeded (action.yml's `post-if: success()`), so that deploy steps have moved off the old
 * certificate first: the older certificates of the name, listed now, each judged from reads made
 * right before it goes.
 */
export async function finishRotation(
  api: CloudflareApi,
  target: RotationTarget & { id: string },
  reads: RetireReads,
): Promise<Replacement[]> {
  const detachFirst = reads.zone
    ? `, first detaching from them the hostnames of zone ${reads.zone.client.zoneId} that ${target.id} serves`
    : ''
  log.info(
    `Replace, at the end of the job: deleting the certificates named '${target.name}' uploaded before ${target.id} that no service uses now${detachFirst}.`,
  )
  const replacements = await replaceOlder(reads, await api.listCertificates(), target)
  if (replacements.length === 0) log.info(`No older certificate named '${target.name}' is left to delete.`)
  return replacements
}
