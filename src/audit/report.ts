/** What the audit tells the workflow: its outputs and its annotations, made from the expiry report. */
import { flagged, usageText, type AuditedCertificate, type ExpiryPolicy, type ExpiryReport } from './expiry-report.ts'
import { plural } from '../core/text.ts'

/** Past this many annotations of one level, they are grouped into one: a long list belongs in the summary. */
export const MAX_ANNOTATIONS = 10

/** The audit's outputs, keyed by their names in audit/action.yml. */
export interface AuditOutputs {
  expiring: string
  'expiring-count': string
  'expired-count': string
  total: string
}

export function auditOutputs(report: ExpiryReport): AuditOutputs {
  const listed = flagged(report)
  return {
    expiring: JSON.stringify(
      listed.map((c) => ({
        id: c.id,
        name: c.name,
        ca: c.ca,
        expires_on: c.expiresOn,
        days_left: c.daysLeft,
        in_use: c.inUse ?? null,
      })),
    ),
    'expiring-count': String(listed.length),
    'expired-count': String(listed.filter((c) => c.status === 'expired').length),
    total: String(report.certificates.length),
  }
}

export interface Annotations {
  /** One per failing certificate, or one for all of them past MAX_ANNOTATIONS: each fails the step. */
  errors: string[]
  warnings: string[]
}

export function auditAnnotations(report: ExpiryReport, policy: ExpiryPolicy): Annotations {
  const failing = report.certificates.filter((c) => c.failing)
  const warned = report.certificates.filter((c) => !c.failing && c.status !== 'ok')
  return {
    errors: grouped(
      failing,
      `${failing.length} certificates expire within fail-days (${policy.failDays}) or have expired`,
    ),
    warnings: grouped(
      warned,
      `${warned.length} certificates expire within warn-days (${policy.warnDays}), have expired, are not valid yet, or have no readable expiry`,
    ),
  }
}

function grouped(certificates: readonly AuditedCertificate[], headline: string): string[] {
  if (certificates.length <= MAX_ANNOTATIONS) return certificates.map(describeCertificate)
  const shown = certificates.slice(0, MAX_ANNOTATIONS).map((c) => `${label(c)} (${when(c)})`)
  return [
    `${headline}: ${shown.join(', ')} and ${certificates.length - MAX_ANNOTATIONS} more. The job summary lists them all.`,
  ]
}

/** One certificate's finding, in one sentence: which, when, why it matters now, and what uses it. */
export function describeCertificate(c: AuditedCertificate): string {
  const which = `Certificate ${label(c)} (${c.ca ? 'CA' : 'leaf'}, id ${c.id})`
  if (c.status === 'unknown') {
    return `${which} has no readable expiry: its PEM holds no certificate, and Cloudflare gave no expires_on in ISO 8601 form (read as expiry unknown, not as a date).`
  }
  const first = c.expiresFirst
    ? `; ${c.expiresFirst} of its chain ${c.status === 'expired' ? 'expired' : 'expires'} first`
    : ''
  const date =
    c.status === 'expired' ? `expired on ${c.expiresOn}` : `expires in ${plural(c.daysLeft, 'day')}, on ${c.expiresOn}`
  // Its chain verifies only from then: clients using it are refused now, whatever its expiry.
  const notYet =
    c.notValidUntil && c.status !== 'expired'
      ? `${which} is not valid until ${c.notValidUntil} (clients using it are refused until then) and `
      : undefined
  return `${notYet ?? `${which} `}${date}${first}${usage(c)}.`
}

const label = (c: AuditedCertificate): string => (c.name ? `'${c.name}'` : '(unnamed)')

function when(c: AuditedCertificate): string {
  if (c.status === 'not-yet-valid') return `not valid until ${c.notValidUntil ?? ''}`
  if (c.status === 'unknown') return 'expiry unknown'
  if (c.status === 'expired') return `expired ${c.expiresOn}`
  return `in ${plural(c.daysLeft, 'day')}`
}

function usage(c: AuditedCertificate): string {
  const text = usageText(c)
  if (text === undefined) return ''
  return text === 'none' ? '; not in use' : `; in use by ${text}`
}
