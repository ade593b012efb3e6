/**
 * The audit's findings about an account's certificates: when each one stops working and whether that
 * is within the warning or failing threshold. Pure: the listing, the policy and the time come in.
 */
import type { X509Certificate } from 'node:crypto'
import { isCustom, parseTime } from '../cloudflare/values.ts'
import { certificatesIn, daysLeft, isoSeconds, subjectOf } from '../certificate/facts.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import { matchesAnyPattern, type NamePattern } from './name-pattern.ts'

export interface ExpiryPolicy {
  /** Warn when a certificate expires within this many days; 0 warns only about expired ones. */
  warnDays: number
  /** Fail when a certificate expires within this many days or has expired; 0 never fails. */
  failDays: number
  /** Glob patterns for the names to audit; none means every certificate. */
  names: readonly NamePattern[]
}

/**
 * - `expired`: its chain is past its end;
 * - `expiring`: within warn-days or fail-days;
 * - `not-yet-valid`: later than both, but a certificate of its chain is not valid yet, so clients
 *   using it are refused now;
 * - `ok`: later than both, and valid now;
 * - `unknown`: neither its PEM nor Cloudflare's `expires_on` gives a date.
 */
export type ExpiryStatus = 'expired' | 'expiring' | 'not-yet-valid' | 'ok' | 'unknown'

export interface AuditedCertificate {
  id: string
  name: string
  ca: boolean
  status: ExpiryStatus
  /** Fails the step: expired or within fail-days, with fail-days above 0. */
  failing: boolean
  /** The earliest end of validity in the uploaded chain (ISO 8601, whole seconds); empty when unknown. */
  expiresOn: string
  /** Whole days until then, by certificate/facts.ts daysLeft (rounded up). */
  daysLeft: number
  /** The certificate of the chain that expires first, when it is not the first one (the leaf or the CA itself). */
  expiresFirst?: string
  /** When a certificate of the chain is not valid yet: the time from which the whole chain is. */
  notValidUntil?: string
  /** Where the date came from: the PEM the account holds, or Cloudflare's `expires_on` when there is no PEM. */
  source: 'pem' | 'expires_on' | 'none'
  /** The services that use it (its associations); undefined when not read. */
  inUse?: string[]
  /** When Cloudflare's associations were not all read (too many pages): "at least N associations: …". */
  inUsePartial?: string
  /** The kinds of consumer the token could not read (`Pages projects not read`): its users leave them out. */
  usersUnread?: string
}

export interface ExpiryReport {
  /** Every audited certificate, soonest expiry first, those of unknown expiry last. */
  certificates: AuditedCertificate[]
  /** Listed but not audited: managed by Cloudflare (type other than custom), or no name pattern matches. */
  leftOut: { managed: number; unmatched: number }
}

export function buildExpiryReport(listing: readonly MtlsCertificate[], policy: ExpiryPolicy, now: Date): ExpiryReport {
  const leftOut = { managed: 0, unmatched: 0 }
  const certificates: AuditedCertificate[] = []
  for (const listed of listing) {
    // Gateway and Access manage their own certificates and rotate them: not this account's to watch.
    if (!isCustom(listed)) leftOut.managed++
    else if (!matchesAnyPattern(policy.names, listed.name ?? '')) leftOut.unmatched++
    else certificates.push(auditCertificate(listed, policy, now))
  }
  certificates.sort(bySoonestExpiry)
  return { certificates, leftOut }
}

/** The certificates the outputs and the issue list: expired or within a threshold. */
export const flagged = (report: ExpiryReport): AuditedCertificate[] =>
  report.certificates.filter((c) => c.status === 'expired' || c.status === 'expiring')

function auditCertificate(listed: MtlsCertificate, policy: ExpiryPolicy, now: Date): AuditedCertificate {
  const base = { id: listed.id, name: listed.name ?? '', ca: listed.ca ?? false }
  const chain = chainValidity(listed.certificates ?? '')
  const fallback = chain ? undefined : parseDate(listed.expires_on)
  const end = chain?.notAfter ?? fallback
  if (end === undefined) {
    return { ...base, status: 'unknown', failing: false, expiresOn: '', daysLeft: 0, source: 'none' }
  }
  const days = daysLeft(end, now)
  const expired = end.getTime() <= now.getTime()
  const within = (limit: number): boolean => limit > 0 && days <= limit
  const notYetValid = chain !== undefined && chain.notBefore.getTime() > now.getTime()
  const audited: AuditedCertificate = {
    ...base,
    status: expired
      ? 'expired'
      : within(policy.warnDays) || within(policy.failDays)
        ? 'expiring'
        : notYetValid
          ? 'not-yet-valid'
          : 'ok',
    failing: policy.failDays > 0 && (expired || within(policy.failDays)),
    expiresOn: isoSeconds(end),
    daysLeft: days,
    source: chain ? 'pem' : 'expires_on',
  }
  if (chain?.expiresFirst) audited.expiresFirst = chain.expiresFirst
  if (notYetValid) audited.notValidUntil = isoSeconds(chain.notBefore)
  return audited
}

interface ChainValidity {
  /** The earliest notAfter: after it, the chain no longer verifies. */
  notAfter: Date
  /** The latest notBefore: before it, the chain does not verify yet. */
  notBefore: Date
  expiresFirst?: string
}

/** The validity of the uploaded chain, from its certificates; undefined when the PEM holds none that parses. */
function chainValidity(pem: string): ChainValidity | undefined {
  const chain = certificatesIn(pem)
  const [first] = chain
  if (!first) return undefined
  let earliest = 0
  let notBefore = first.validFromDate
  chain.forEach((certificate, index) => {
    if (certificate.validToDate < (chain[earliest] as X509Certificate).validToDate) earliest = index
    if (certificate.validFromDate > notBefore) notBefore = certificate.validFromDate
  })
  const soonest = chain[earliest] as X509Certificate
  const validity: ChainValidity = { notAfter: soonest.validToDate, notBefore }
  if (earliest > 0) validity.expiresFirst = `certificate ${earliest + 1} of ${chain.length} (${subjectOf(soonest)})`
  return validity
}

/** Strictly ISO 8601, as every time from Cloudflare: `Date.parse` alone reads `1` as 2001, an expired date. */
function parseDate(text: string | undefined): Date | undefined {
  const time = parseTime(text)
  return time === undefined ? undefined : new Date(time)
}

function bySoonestExpiry(a: AuditedCertificate, b: AuditedCertificate): number {
  if (a.status === 'unknown' || b.status === 'unknown')
    return Number(a.status === 'unknown') - Number(b.status === 'unknown')
  return Date.parse(a.expiresOn) - Date.parse(b.expiresOn) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
}

/** What uses it, for the reports: the services, "none", or with a partial read what was read and "at least"; undefined when not read. */
export function usageText(c: Pick<AuditedCertificate, 'inUse' | 'inUsePartial' | 'usersUnread'>): string | undefined {
  if (c.inUse === undefined) return undefined
  const notes = [c.inUsePartial, c.usersUnread].filter((note) => note !== undefined)
  if (notes.length === 0) return c.inUse.join(', ') || 'none'
  return `${c.inUse.join(', ') || (c.inUsePartial ? 'unknown services' : 'none found')} (${notes.join('; ')})`
}
