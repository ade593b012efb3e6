import type { HostnameAssignment, OriginPullCertificate } from '../cloudflare/origin-pull/answers.ts'
import { leafSha256 } from '../certificate/fingerprints.ts'

/**
 * What to do for one Authenticated Origin Pulls certificate: pure. Cloudflare's own rotation, make
 * before break: upload, point the hostnames at it (per hostname), wait until it is `active`, and only
 * then retire the certificate it replaces. The private key is not part of a plan.
 */

export interface OriginPullSpec {
  /** The leaf's PEM (its key goes to apply only). */
  certificate: string
  /** Per hostname with hostnames; zone-level without. */
  hostnames: readonly string[]
  /** Whether the replaced certificates are deleted once nothing uses them (replace); kept when false. */
  retire: boolean
}

export type OriginPullStep =
  | { action: 'upload' }
  /** `uploadedOn`: when Cloudflare says it was uploaded, for the step's outputs. */
  | { action: 'reuse'; id: string; uploadedOn?: string }
  /**
   * Point these hostnames at the spec's certificate; `from`: the certificate each served before, which
   * it is pointed back at should Cloudflare's deployment of the new one time out.
   */
  | { action: 'attach'; hostnames: string[]; from?: { hostname: string; id: string }[] }
  /** Wait until each hostname (or, zone-level, the certificate) reads `active` with the spec's certificate. */
  | { action: 'wait'; hostnames: string[] }
  | { action: 'retire'; id: string; reason: string }
  | { action: 'keep'; id: string; reason: string }

export interface OriginPullPlan {
  steps: OriginPullStep[]
  notes: string[]
  problems: string[]
}

/** Cloudflare's limit of per-hostname certificates per zone. */
export const HOSTNAME_CERTIFICATE_LIMIT = 10

/** The certificate in the store with the spec's leaf, compared by DER (Cloudflare re-encodes the PEM). */
export function findOriginCertificate(
  observed: readonly OriginPullCertificate[],
  pem: string,
): OriginPullCertificate | undefined {
  const wanted = leafSha256(pem)
  return wanted === undefined
    ? undefined
    : observed.find((c) => c.certificate !== undefined && leafSha256(c.certificate) === wanted)
}

/** Cloudflare gave up deploying it (`deployment_timed_out`, `deletion_timed_out`): it serves nothing new by itself. */
const timedOut = (a: HostnameAssignment): boolean =>
  [a.status, a.certStatus].some((status) => status?.endsWith('_timed_out') === true)

const parses = (pem: string): string[] =>
  leafSha256(pem) === undefined ? ['the certificate of the entry holds no certificate that parses'] : []

export function planHostnameOriginPull(
  spec: OriginPullSpec,
  zoneId: string,
  observed: { certificates: readonly OriginPullCertificate[]; assignments: readonly HostnameAssignment[] },
): OriginPullPlan {
  const problems = parses(spec.certificate)
  const existing = findOriginCertificate(observed.certificates, spec.certificate)
  const steps: OriginPullStep[] = []
  if (existing) steps.push(reuseOf(existing))
  else {
    if (observed.certificates.length >= HOSTNAME_CERTIFICATE_LIMIT)
      problems.push(
        `zone ${zoneId} holds ${observed.certificates.length} per-hostname origin pull certificates, Cloudflare's limit of ${HOSTNAME_CERTIFICATE_LIMIT}: the new one cannot be uploaded before an old one goes; delete one no hostname uses`,
      )
    steps.push({ action: 'upload' })
  }
  const assignment = (hostname: string): HostnameAssignment | undefined =>
    observed.assignments.find((a) => a.hostname.toLowerCase() === hostname.toLowerCase())
  const serving = (hostname: string): boolean => {
    const a = assignment(hostname)
    return existing !== undefined && a?.certId === existing.id && a.enabled === true && a.status === 'active'
  }
  // A hostname whose deployment timed out is pointed at it again: waiting alone would only read the timeout again.
  const toAttach = spec.hostnames.filter((h) => {
    const a = assignment(h)
    return !(existing !== undefined && a?.certId === existing.id && a.enabled === true && !timedOut(a))
  })
  const from = toAttach.flatMap((hostname) => {
    const a = assignment(hostname)
    return a?.certId !== undefined && a.certId !== existing?.id && a.enabled === true
      ? [{ hostname, id: a.certId }]
      : []
  })
  if (toAttach.length > 0) steps.push({ action: 'attach', hostnames: toAttach, ...(from.length > 0 ? { from } : {}) })
  const notActive = spec.hostnames.filter((h) => !serving(h))
  if (notActive.length > 0) steps.push({ action: 'wait', hostnames: notActive })
  const replaced = [
    ...new Set(
      spec.hostnames.flatMap((h) => {
        const id = assignment(h)?.certId
        return id !== undefined && id !== existing?.id ? [id] : []
      }),
    ),
  ]
  for (const id of replaced) {
    const users = spec.hostnames.filter((h) => assignment(h)?.certId === id)
    const reason = `it served ${users.join(', ')}`
    steps.push(
      spec.retire ? { action: 'retire', id, reason } : { action: 'keep', id, reason: `${reason}; replace is off` },
    )
  }
  return { steps, notes: notesOf(steps), problems }
}

export function planZoneOriginPull(
  spec: OriginPullSpec,
  zoneId: string,
  observed: { certificates: readonly OriginPullCertificate[]; enabled: boolean },
): OriginPullPlan {
  const problems = parses(spec.certificate)
  const existing = findOriginCertificate(observed.certificates, spec.certificate)
  const steps: OriginPullStep[] = [existing ? reuseOf(existing) : { action: 'upload' }]
  if (existing?.status !== 'active') steps.push({ action: 'wait', hostnames: [] })
  // Only those active before this run: never the new one, and never one a person is deploying now.
  for (const old of observed.certificates.filter((c) => c.id !== existing?.id && c.status === 'active')) {
    const reason = 'it was the zone-level certificate before'
    steps.push(
      spec.retire
        ? { action: 'retire', id: old.id, reason }
        : { action: 'keep', id: old.id, reason: `${reason}; replace is off` },
    )
  }
  const notes = notesOf(steps)
  if (!observed.enabled)
    notes.push(
      `Zone-level Authenticated Origin Pulls is off in zone ${zoneId}: Cloudflare presents no zone-level certificate to the origin until it is turned on (SSL/TLS → Origin Server).`,
    )
  return { steps, notes, problems }
}

const reuseOf = (existing: OriginPullCertificate): OriginPullStep => ({
  action: 'reuse',
  id: existing.id,
  ...(existing.uploadedOn === undefined ? {} : { uploadedOn: existing.uploadedOn }),
})

function notesOf(steps: readonly OriginPullStep[]): string[] {
  return steps.flatMap((step) =>
    step.action === 'keep' ? [`Origin pull certificate ${step.id} is kept: ${step.reason}.`] : [],
  )
}
