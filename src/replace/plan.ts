import { planRelease, type HostnameRelease, type ReleasePlan } from '../api-shield/plan.ts'
import type { Association, MtlsCertificate } from '../cloudflare/answers.ts'
import { isCertificateId, parseTime } from '../cloudflare/values.ts'
import { holdsTarget, sameNameCertificates, type Replacement, type RotationTarget } from './policy.ts'

/**
 * replace's planners, pure: which older certificates to retire as a listing stands, and, for each,
 * what to do from what was read of it. A dry run shows these plans; a real run reads afresh right
 * before each certificate and carries out the plan made of that (replace-older.ts).
 */

/** The account's other certificates of the same name, as one listing stands. */
export interface RetirementPlan {
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
  const release = facts.zone && planRelease(facts.zone.oldHostnames, facts.zone.newServes)
  const base = release ? { release } : {}
  if (facts.zone && release && release.keep.length > 0) {
    const them = pronoun(release.keep)
    const reason = `still serves ${release.keep.join(', ')} in zone ${facts.zone.zoneId}, which this step was not given: add ${them} to hostnames to move ${them} to the new CA`
    return { ...base, action: 'keep', reason }
  }
  const services = facts.associations && describeServices(facts.associations)
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

/** The services of an association answer, for a reason; empty when there are none. */
export const describeServices = (associations: readonly Association[]): string =>
  associations.map((a) => `${a.service ?? 'unknown service'}${a.status ? ` (${a.status})` : ''}`).join(', ')

/** The result of a plan that is shown, not carried out (a dry run). */
export function plannedReplacement(certificate: MtlsCertificate, plan: RetirePlan): Replacement {
  const hostnames = plan.release && { ...plan.release, applied: false }
  const base = { ...describe(certificate), ...(hostnames ? { hostnames } : {}) }
  const reason = `${detachNote(hostnames)}${plan.reason}`
  return plan.action === 'keep'
    ? { ...base, action: 'kept', reason, warn: true }
    : { ...base, action: 'would delete', reason, warn: false }
}

/** The start of a reason when hostnames move: "detached a (the new CA serves it); ", or "would detach …". */
export function detachNote(release: HostnameRelease | undefined): string {
  if (!release || release.detach.length === 0) return ''
  const verb = release.applied ? 'detached' : 'would detach'
  return `${verb} ${release.detach.join(', ')} (the new CA serves ${pronoun(release.detach)}); `
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
