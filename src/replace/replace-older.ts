import { releaseHostnames, waitUntilUnused, type HostnameRelease } from '../api-shield/zone.ts'
import { missingFrom } from '../api-shield/plan.ts'
import { isCertificateId, parseTime } from '../cloudflare/values.ts'
import type { CloudflareApi, MtlsCertificate, ZoneHostnamesClient } from '../cloudflare/client.ts'
import { ApiError, errorMessage } from '../core/errors.ts'
import { log } from '../action/log.ts'
import { holdsTarget, sameNameCertificates, type Replacement, type RotationTarget } from './policy.ts'
import { plural, someOf } from '../core/text.ts'

/** `replace` carried out: each older certificate of the same name deleted, or kept and why, and the log of it. */

/** API Shield: older CAs give up the zone's hostnames the new one serves before they are judged. */
export interface ZoneRelease {
  zone: ZoneHostnamesClient
  /** Reads the new CA's hostnames in the zone, attached already (make before break); a dry run's plan. */
  readNewServes: () => Promise<readonly string[]>
}

/**
 * Make before break: called once the new certificate is in place, with the account's certificates
 * listed since. A certificate still associated with a service is kept, and so is one whose
 * associations cannot be read or whose id is not one Cloudflare gives (no request is made for it).
 * When the listing lacks the new certificate, nothing is deleted. A delete that fails is reported,
 * not fatal, as the new one is in place. Once the time limit is spent, the rest are not checked.
 */
export async function replaceOlder(
  api: CloudflareApi,
  certificates: readonly MtlsCertificate[],
  target: RotationTarget,
  dryRun: boolean,
  zone?: ZoneRelease,
): Promise<Replacement[]> {
  const { older, newerIssued, issueUnknown, unknown } = sameNameCertificates(certificates, target)
  const kept = (certificate: MtlsCertificate, reason: string): Replacement => ({
    ...describe(certificate),
    action: 'kept',
    reason,
    warn: true,
  })
  const unplaced =
    parseTime(target.uploadedOn) === undefined
      ? `the upload time of the new certificate (${target.uploadedOn}) cannot be read, so which is older is unknown`
      : 'its upload time cannot be read, so its age is unknown'
  const replacements: Replacement[] = [
    ...newerIssued.map((certificate) =>
      kept(
        certificate,
        'issued after the certificate of this run, so it is newer (is this an old run re-run? For a deliberate rollback, delete it by hand)',
      ),
    ),
    ...issueUnknown.map((certificate) =>
      kept(
        certificate,
        'the listing gives no readable certificate text, so whether it was issued after the certificate of this run is unknown, and it was uploaded well before it (is this an old run re-run?): delete it by hand if it is old',
      ),
    ),
    ...unknown.map((certificate) => kept(certificate, unplaced)),
  ]
  if (!holdsTarget(certificates, target)) {
    log.warning(
      `Replace deletes nothing: the account's listing does not hold ${target.id ?? ''}, the certificate it rotates to (deleted since it was uploaded, or the listing is incomplete), and without it the older certificates named '${target.name}' may be the only ones left. Check the account in the dashboard, and re-run the job to upload the certificate again if it is gone.`,
    )
    const missing = `the certificate replace rotates to, ${target.id ?? ''}, is not in the listing`
    return [...replacements, ...older.map((certificate) => ({ ...kept(certificate, missing), warn: false }))]
  }
  for (const certificate of older) {
    if (!isCertificateId(certificate.id)) {
      replacements.push(
        kept(
          certificate,
          'its id is not one Cloudflare gives (a UUID or 32 hex digits), so no request is made for it: delete it by hand if it is yours',
        ),
      )
      continue
    }
    replacements.push(api.outOfTime() ? notChecked(certificate, api) : await replaceOne(api, certificate, dryRun, zone))
  }
  return replacements
}

/**
 * One older certificate: with API Shield, first taken off the zone's hostnames the new CA serves (and
 * kept, when it serves others this step was not given); then deleted unless a service still uses it.
 */
async function replaceOne(
  api: CloudflareApi,
  certificate: MtlsCertificate,
  dryRun: boolean,
  zone: ZoneRelease | undefined,
): Promise<Replacement> {
  let base: Pick<Replacement, 'id' | 'uploadedOn' | 'hostnames'> = describe(certificate)
  let released: HostnameRelease | undefined
  try {
    released = zone && (await releaseHostnames(zone.zone, certificate.id, zone.readNewServes, dryRun))
  } catch (error) {
    // A zone call that failed, a 404 for the zone included, says nothing of the certificate: kept.
    if (api.outOfTime()) return { ...notChecked(certificate, api), ...base }
    return { ...base, action: 'kept', reason: errorMessage(error), warn: true }
  }
  const release = released
  if (release) base = { ...base, hostnames: release }
  try {
    const moved = release !== undefined && release.detached.length > 0
    const detached = moved
      ? `${dryRun ? 'would detach' : 'detached'} ${release.detached.join(', ')} (the new CA serves ${pronoun(release.detached)}); `
      : ''
    if (zone && release && release.kept.length > 0) {
      const them = pronoun(release.kept)
      const reason = `${detached}still serves ${release.kept.join(', ')} in zone ${zone.zone.zoneId}, which this step was not given: add ${them} to hostnames to move ${them} to the new CA`
      return { ...base, action: 'kept', reason, warn: true }
    }
    const read = () => api.listAssociations(certificate.id)
    // Only a detach made here is worth waiting for; a CA in use elsewhere is kept at once, as any certificate.
    const associations =
      zone && moved && !dryRun ? await waitUntilUnused(read, api.clock, api.deadlineAt()) : await read()
    const services = associations
      .map((a) => `${a.service ?? 'unknown service'}${a.status ? ` (${a.status})` : ''}`)
      .join(', ')
    if (moved && dryRun) {
      const now = associations.length > 0 ? ` (now in use by ${services})` : ''
      const reason = `${detached}older, same name, deleted once Cloudflare no longer reports it in use${now}`
      return { ...base, action: 'would delete', reason, warn: false }
    }
    if (associations.length > 0) {
      const when = moved ? ' when timeout-seconds ran out' : ''
      return { ...base, action: 'kept', reason: `${detached}still in use by ${services}${when}`, warn: true }
    }
    if (dryRun) return { ...base, action: 'would delete', reason: 'older, same name, not in use', warn: false }
    // Another run may have rewritten the new CA's list since the detach: deleting would leave these with no CA.
    const lost = moved && zone ? missingFrom(await zone.readNewServes(), release.detached) : []
    if (lost.length > 0) {
      const reason = `${detached}but the new CA no longer serves ${lost.join(', ')} (another run may have rewritten its hostnames at the same moment), so it is kept for them: re-run the job to attach them again, and run rotations of this CA and zone in one concurrency group`
      return { ...base, action: 'kept', reason, warn: true }
    }
    await api.deleteCertificate(certificate.id)
    return { ...base, action: 'deleted', reason: `${detached}older, same name, not in use`, warn: false }
  } catch (error) {
    // Another run rotating the same name at the same moment may have deleted it first.
    if (error instanceof Error && error.cause instanceof ApiError && error.cause.notFound) {
      return { ...base, action: 'already gone', reason: 'deleted meanwhile, by another run', warn: false }
    }
    if (api.outOfTime()) return { ...notChecked(certificate, api), ...base }
    return { ...base, action: 'kept', reason: errorMessage(error), warn: true }
  }
}

const pronoun = (hostnames: readonly string[]): string => (hostnames.length === 1 ? 'it' : 'them')

/** Kept, as the time limit ran out before it was checked; the log says so once for all of them. */
const notChecked = (certificate: MtlsCertificate, api: CloudflareApi): Replacement => ({
  ...describe(certificate),
  action: 'not checked',
  reason: `timeout-seconds (${api.timeoutSeconds} s) ran out first`,
  warn: true,
})

function describe(certificate: MtlsCertificate): Pick<Replacement, 'id' | 'uploadedOn'> {
  const uploadedOn = certificate.uploaded_on
  return { id: certificate.id, ...(typeof uploadedOn === 'string' && uploadedOn ? { uploadedOn } : {}) }
}

/** Past this many, the warnings about kept certificates are grouped into one annotation; the log still lists each. */
const WARNINGS_SHOWN = 5

/**
 * One line per certificate replace considered; a kept one the user should look at is a warning, up
 * to WARNINGS_SHOWN, then one warning for the rest. Those the time limit left unchecked are named
 * once, together.
 */
export function logReplacements(replacements: readonly Replacement[]): void {
  const unchecked = replacements.filter((r) => r.action === 'not checked')
  const checked = replacements.filter((r) => r.action !== 'not checked')
  // One annotation for the rest is worth it only when it stands for two or more.
  let shown = checked.filter((r) => r.warn).length > WARNINGS_SHOWN + 1 ? WARNINGS_SHOWN : Infinity
  const grouped: string[] = []
  for (const r of checked) {
    const line = `Certificate ${r.id} of the same name${r.uploadedOn ? ` (uploaded ${r.uploadedOn})` : ''}: ${r.action}, ${r.reason}.`
    if (!r.warn) log.info(line)
    else if (grouped.length === 0 && shown-- > 0) log.warning(line)
    else {
      log.info(line)
      grouped.push(r.id)
    }
  }
  if (grouped.length > 0) {
    log.warning(
      `${plural(grouped.length, 'more certificate')} of the same name were kept, each for the reason logged above: ${someOf(grouped)}.`,
    )
  }
  const [first] = unchecked
  if (first) {
    log.warning(
      `${plural(unchecked.length, 'older certificate')} of the same name ${unchecked.length === 1 ? 'was' : 'were'} not checked, as ${first.reason}: kept. Re-run the job to finish; not checked: ${someOf(unchecked.map((r) => r.id))}.`,
    )
  }
}
