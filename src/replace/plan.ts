import { planRelease, type HostnameRelease, type ReleasePlan } from '../api-shield/plan.ts'
import type { Association, MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import { isCertificateId, parseTime } from '../cloudflare/values.ts'
import { plural } from '../core/text.ts'
import type { Cell } from '../core/report.ts'
import { holdsTarget, sameNameCertificates, type Replacement, type RotationTarget } from './policy.ts'

/**
 * replace's planners, pure: which older certificates to retire as a listing stands, and, for each,
 * what to do from what was read of it. A dry run shows these plans; a real run reads afresh right
 * before each certificate and carries out the plan made of that (replace-older.ts).
 */

/** The account's other certificates of the same name, as one listing stands. */
interface RetirementPlan {
  /** Older, with an id Cloudflare gives: each judged on its own (planRetire) right before it goes. */
  older: MtlsCertificate[]
  /** Kept from the start, with why. */
  kept: Replacement[]
  /** The listing lacks the certificate replace rotates to: nothing is deleted. */
  targetMissing: boolean
}

export function planRetirement(certificates: readonly MtlsCertificate[], target: RotationTarget): RetirementPlan {
  const { older, newerIssued, issueUnknown, unknown } = sameNameCertificates(certificates, target)
  const unplaced =
    parseTime(target.uploadedOn) === undefined
      ? `the upload time of the new certificate (${target.uploadedOn}) cannot be read, so which is older is unknown`
      : 'its upload time cannot be read, so its age is unknown'
  const kept: Replacement[] = [
    ...newerIssued.map((certificate) =>
      keptAtOnce(
        certificate,
        'issued after the certificate of this run, so it is newer (is this an old run re-run? For a deliberate rollback, delete it by hand)',
      ),
    ),
    ...issueUnknown.map((certificate) =>
      keptAtOnce(
        certificate,
        'the listing gives no readable certificate text, so whether it was issued after the certificate of this run is unknown, and it was uploaded well before it (is this an old run re-run?): delete it by hand if it is old',
      ),
    ),
    ...unknown.map((certificate) => keptAtOnce(certificate, unplaced)),
  ]
  if (!holdsTarget(certificates, target)) {
    const missing = `the certificate replace rotates to, ${target.id ?? ''}, is not in the listing`
    const all = older.map((certificate) => ({ ...keptAtOnce(certificate, missing), warn: false }))
    return { older: [], kept: [...kept, ...all], targetMissing: true }
  }
  const idRefused =
    'its id is not one Cloudflare gives (a UUID or 32 hex digits), so no request is made for it: delete it by hand if it is yours'
  for (const certificate of older) {
    if (!isCertificateId(certificate.id)) kept.push(keptAtOnce(certificate, idRefused))
  }
  return { older: older.filter((certificate) => isCertificateId(certificate.id)), kept, targetMissing: false }
}

/** What was read of one older certificate right before it is judged. */
export interface RetireFacts {
  /** API Shield: the zone, what the new CA serves there, and the old CA's hostnames there. */
  zone?: { zoneId: string; newServes: readonly string[]; oldHostnames: readonly string[] }
  /**
   * The services using it. Not read when the old CA gives up hostnames in a real run: Cloudflare
   * reports it in use until a while after, so they are read after the write (waitUntilUnused).
   */
  associations?: readonly Association[]
}

/** One older certificate: its hostnames to detach first (API Shield), then kept, or deleted. */
export type RetirePlan = {
  /** API Shield: the old CA's hostnames the new CA serves (detach) and the others (keep). */
  release?: ReleasePlan
  /** Why, without what happens to the hostnames (the result says that, done or not). */
  reason: string
} & (
  | { action: 'keep' }
  /** `once-unused`: after its hostnames are detached, when Cloudflare no longer reports it in use. */
  | { action: 'delete'; when: 'now' | 'once-unused' }
)

/**
 * The one rule for an older certificate, for the dry run and the real run alike. With API Shield, it
 * first gives up the hostnames the new CA serves; it is kept while it serves others this step was
 * not given, or while a service uses it (unless it gave hostnames up, which frees it: it goes once
 * Cloudflare says so). Associations not read, with nothing detached: kept (fail closed).
 */
export function planRetire(facts: RetireFacts): RetirePlan {
  const release = facts.zone && {
    ...planRelease(facts.zone.oldHostnames, facts.zone.newServes),
    zoneId: facts.zone.zoneId,
  }
  const base = release ? { release } : {}
  if (facts.zone && release && release.keep.length > 0) {
    const them = pronoun(release.keep)
    const reason = `still serves ${release.keep.join(', ')} in zone ${facts.zone.zoneId}, which this step was not given: add ${them} to hostnames to move ${them} to the new CA`
    return { ...base, action: 'keep', reason }
  }
  const services = facts.associations && describeServices(facts.associations)
  // Read before a detach (a dry run): what its hostnames here do not account for is use elsewhere.
  const elsewhere =
    release &&
    release.detach.length > 0 &&
    facts.associations &&
    inUseElsewhere(facts.associations, release.detach.length)
  if (elsewhere) return { ...base, action: 'keep', reason: elsewhere }
  if (release && release.detach.length > 0) {
    const now = services ? ` (now in use by ${services})` : ''
    const reason = `older, same name, deleted once Cloudflare no longer reports it in use${now}`
    return { ...base, action: 'delete', when: 'once-unused', reason }
  }
  if (facts.associations === undefined) {
    return { ...base, action: 'keep', reason: 'whether a service uses it was not read' }
  }
  if (services) return { ...base, action: 'keep', reason: `still in use by ${services}` }
  return { ...base, action: 'delete', when: 'now', reason: NOT_IN_USE }
}

export const NOT_IN_USE = 'older, same name, not in use'

/** API Shield's service name in an association answer: the one use detaching hostnames ends. */
const API_SHIELD_SERVICE = 'api_shield'

/**
 * Whether an old CA that gives up (or gave up) `detached` hostnames in this step's zone, and keeps
 * none there, is in use beyond them, so that waiting for Cloudflare to catch up cannot free it.
 * Cloudflare's answer names a service and a status, no zone and no hostname: what can be the
 * detach's lag is API Shield's use, at most one association per hostname detached (whether
 * Cloudflare gives one per hostname or one per zone). Another service, or more API Shield
 * associations than that (another zone's hostnames: one CA rotated in two zones), is use elsewhere:
 * kept at once, without waiting. Returns the reason; undefined while waiting may still free it.
 */
export function inUseElsewhere(associations: readonly Association[], detached: number): string | undefined {
  const apiShield = associations.filter((a) => a.service === API_SHIELD_SERVICE).length
  const others = associations.length - apiShield
  if (others === 0 && apiShield <= detached) return undefined
  const beyond =
    others > 0
      ? 'a service other than API Shield'
      : `more than the ${plural(detached, 'hostname')} detached here (another zone's hostnames)`
  return `in use elsewhere: ${describeServices(associations)}, ${beyond}, so it is kept without waiting: delete it by hand once nothing uses it, or a later rotation's replace deletes it`
}

/** The services of an association answer, for a reason, alike ones counted; empty when there are none. */
export function describeServices(associations: readonly Association[]): string {
  const counts = new Map<string, number>()
  for (const a of associations) {
    const service = `${a.service ?? 'unknown service'}${a.status ? ` (${a.status})` : ''}`
    counts.set(service, (counts.get(service) ?? 0) + 1)
  }
  return [...counts].map(([service, n]) => (n > 1 ? `${service} × ${n}` : service)).join(', ')
}

/** The result of a plan that is shown, not carried out (a dry run). */
export function plannedReplacement(certificate: MtlsCertificate, plan: RetirePlan): Replacement {
  const hostnames = plan.release && { ...plan.release, applied: false }
  const base = { ...describe(certificate), ...(hostnames ? { hostnames } : {}) }
  const reason = plan.reason
  return plan.action === 'keep'
    ? { ...base, action: 'kept', reason, warn: true }
    : { ...base, action: 'delete', reason, warn: false }
}

/**
 * What goes before a reason when hostnames move, as neutral cells the renderer words: "detached a
 * (the new CA serves it); ", or, planned, "would detach …".
 */
export function detachNote(release: HostnameRelease | undefined): Cell[] {
  if (!release || release.detach.length === 0) return []
  const rest = ` ${release.detach.join(', ')} (the new CA serves ${pronoun(release.detach)}); `
  return [{ verb: 'detach', done: release.applied, form: 'past', rest }]
}

const pronoun = (hostnames: readonly string[]): string => (hostnames.length === 1 ? 'it' : 'them')

/** Kept before anything is read of it. */
export const keptAtOnce = (certificate: MtlsCertificate, reason: string): Replacement => ({
  ...describe(certificate),
  action: 'kept',
  reason,
  warn: true,
})

/** Kept, as the time limit ran out before it was checked; the log says so once for all of them. */
export const notChecked = (certificate: MtlsCertificate, timeoutSeconds: number): Replacement => ({
  ...describe(certificate),
  action: 'not checked',
  reason: `timeout-seconds (${timeoutSeconds} s) ran out first`,
  warn: true,
})

export function describe(certificate: MtlsCertificate): Pick<Replacement, 'id' | 'uploadedOn'> {
  const uploadedOn = certificate.uploaded_on
  return { id: certificate.id, ...(typeof uploadedOn === 'string' && uploadedOn ? { uploadedOn } : {}) }
}
