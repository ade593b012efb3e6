import { fingerprintDigits, type AccessCertificate } from '../cloudflare/access/answers.ts'
import { leafMd5 } from '../certificate/fingerprints.ts'
import { plural } from '../core/text.ts'

/**
 * What to do for one Access CA: pure. The new CA gets the hostnames before any old CA loses them
 * (make-before-break); with `swap: detach-first`, the old CA lets go first, and the plan says so as a gap.
 */

export interface AccessSpec {
  /** The name the CA is uploaded under. */
  name: string
  /** The CA's PEM. */
  certificate: string
  /** The hostnames Access checks client certificates against this CA for. */
  hostnames: readonly string[]
  swap?: 'detach-first'
  /** Whether the old CAs are deleted once they have no hostnames left (replace); kept when false. */
  retire: boolean
}

export type AccessStep =
  | { action: 'upload'; name: string; hostnames: string[] }
  /** `uploadedOn`: when Cloudflare stored it, when it says. */
  | { action: 'reuse'; id: string; name: string; uploadedOn?: string }
  /** The new CA's whole list of hostnames (the spec's). */
  /**
   * `drops`: hostnames the reused CA holds that the spec does not list; setting the whole list takes
   * them off it, so the plan says so (no other CA gets them).
   */
  | { action: 'attach'; hostnames: string[]; drops?: string[] }
  /** An old CA keeps `keep` and loses `removed`; `gap`: the hostnames have no CA until the attach after it. */
  | { action: 'detach'; id: string; name: string; keep: string[]; removed: string[]; gap: boolean }
  /**
   * Detach what is left, wait until Cloudflare reads it empty, delete (retire.ts). `hostnames`: what it
   * served when observed; one it serves beyond them by then keeps it.
   */
  | { action: 'retire'; id: string; name: string; hostnames: string[] }
  | { action: 'keep'; id: string; name: string; reason: string }

export interface AccessPlan {
  steps: AccessStep[]
  /** Lines for the plan as shown to people: the gap, CAs kept. */
  notes: string[]
  /** What stops the plan before any request (the store is full, the CA does not parse). */
  problems: string[]
}

/** Cloudflare's limit of Access certificates per account. */
export const ACCESS_LIMIT = 50

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x))

const lower = (hostnames: readonly string[]): string[] => [...new Set(hostnames.map((h) => h.toLowerCase()))]

/** The certificate in the store with the spec's CA, by MD5 of its DER (Cloudflare's `fingerprint`). */
export function findAccessCertificate(
  observed: readonly AccessCertificate[],
  pem: string,
): AccessCertificate | undefined {
  const md5 = leafMd5(pem)
  return md5 === undefined
    ? undefined
    : observed.find((c) => c.fingerprint !== undefined && fingerprintDigits(c.fingerprint) === md5)
}

export function planAccess(spec: AccessSpec, observed: readonly AccessCertificate[]): AccessPlan {
  const hostnames = lower(spec.hostnames)
  const notes: string[] = []
  const problems: string[] = []
  if (leafMd5(spec.certificate) === undefined)
    problems.push(`Access CA '${spec.name}': its PEM holds no certificate that parses`)
  const existing = findAccessCertificate(observed, spec.certificate)
  const others = observed.filter((c) => c.id !== existing?.id)
  // An old CA: one holding a hostname of the spec, or one of the same name (an earlier rotation's).
  const olds = others.filter(
    (c) => c.name === spec.name || (c.associatedHostnames ?? []).some((h) => hostnames.includes(h.toLowerCase())),
  )
  const held = new Set(olds.flatMap((c) => (c.associatedHostnames ?? []).map((h) => h.toLowerCase())))
  const detachFirst = spec.swap === 'detach-first'
  const steps: AccessStep[] = []
  if (existing) {
    const uploadedOn = existing.createdAt ? { uploadedOn: existing.createdAt } : {}
    steps.push({ action: 'reuse', id: existing.id, name: existing.name ?? spec.name, ...uploadedOn })
  } else {
    if (observed.length >= ACCESS_LIMIT)
      problems.push(
        `Access CA '${spec.name}': the store holds ${observed.length} Access certificates, Cloudflare's limit of ${ACCESS_LIMIT}; delete one it no longer uses first`,
      )
    // Hostnames no other CA holds go with the upload; the others are attached after it.
    const free = hostnames.filter((h) => !held.has(h))
    steps.push({ action: 'upload', name: spec.name, hostnames: held.size === 0 ? free : [] })
  }
  const attachNeeded = existing
    ? !sameSet(lower(existing.associatedHostnames ?? []), hostnames)
    : held.size > 0 && hostnames.length > 0
  const detaches: AccessStep[] = olds.flatMap((old) => {
    const theirs = old.associatedHostnames ?? []
    const removed = theirs.filter((h) => hostnames.includes(h.toLowerCase()))
    const keep = theirs.filter((h) => !hostnames.includes(h.toLowerCase()))
    return removed.length === 0
      ? []
      : [{ action: 'detach' as const, id: old.id, name: old.name ?? old.id, keep, removed, gap: detachFirst }]
  })
  if (detachFirst) steps.push(...detaches)
  const drops = (existing?.associatedHostnames ?? []).filter((h) => !hostnames.includes(h.toLowerCase()))
  if (attachNeeded) steps.push({ action: 'attach', hostnames, ...(drops.length > 0 ? { drops } : {}) })
  if (!detachFirst) steps.push(...detaches)
  if (detachFirst && detaches.length > 0) {
    const gap = detaches.flatMap((d) => (d.action === 'detach' ? d.removed : []))
    notes.push(
      `swap: detach-first: ${plural(gap.length, 'hostname')} (${gap.join(', ')}) will have no Access CA between the detach from the old CA and the attach to the new one; clients are refused in that gap.`,
    )
  }
  for (const old of olds) {
    const keep = (old.associatedHostnames ?? []).filter((h) => !hostnames.includes(h.toLowerCase()))
    const name = old.name ?? old.id
    if (keep.length > 0) steps.push({ action: 'keep', id: old.id, name, reason: `it still serves ${keep.join(', ')}` })
    else if (!spec.retire) steps.push({ action: 'keep', id: old.id, name, reason: 'replace is off' })
    // Like the account store's replace, only the entry's own earlier CAs: one named otherwise may be
    // another team's (by hand, Terraform), so it loses the entry's hostnames but is not deleted.
    else if (old.name !== spec.name)
      steps.push({
        action: 'keep',
        id: old.id,
        name,
        reason: `it is named '${name}', not '${spec.name}': replace retires only the entry's own earlier CAs; delete it by hand once nothing uses it`,
      })
    else steps.push({ action: 'retire', id: old.id, name, hostnames: old.associatedHostnames ?? [] })
  }
  for (const step of steps)
    if (step.action === 'keep') notes.push(`Access CA '${step.name}' (${step.id}) is kept: ${step.reason}.`)
  return { steps, notes, problems }
}
