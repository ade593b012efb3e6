import { createHash } from 'node:crypto'
import { escapeForSummary } from '../core/html.ts'
import { plural } from '../core/text.ts'
import type { AuditedCertificate, ExpiryPolicy } from './expiry-report.ts'

/** The tracking issue's text (issue.ts keeps the issue): its marker, title and body. */

/**
 * Rows the issue lists at most: GitHub refuses a body over 65,536 characters, which some 300 rows
 * reach. The first ones (soonest expiry first) are listed; the run's summary lists them all.
 */
export const MAX_ISSUE_ROWS = 100

export interface IssueScope {
  accountId: string
  policy: ExpiryPolicy
}

export interface IssueText {
  title: string
  body: string
}

/**
 * The marker that tells this audit's issue from others': a hash, as the account id has no place in a
 * public repository's issues. Two audits with other name patterns keep one issue each.
 */
export function issueMarker(scope: IssueScope): string {
  const key = createHash('sha256')
    .update(JSON.stringify([scope.accountId, scope.policy.names.map((p) => p.source)]))
    .digest('hex')
    .slice(0, 16)
  return `<!-- cloudflare-mtls-certificate-audit ${key} -->`
}

/**
 * The issue's title and body. Nothing that changes from day to day (days left, the run) is in them, so
 * that an unchanged list leaves the issue as it is.
 */
export function renderIssue(certificates: readonly AuditedCertificate[], scope: IssueScope): IssueText {
  const { warnDays, failDays, names } = scope.policy
  const rows = certificates.slice(0, MAX_ISSUE_ROWS).map((c) =>
    [
      c.status === 'expired' ? 'expired' : 'expires',
      `<code>${escapeForSummary(c.expiresOn)}</code>`,
      c.name ? `<code>${escapeForSummary(c.name)}</code>` : '(unnamed)',
      c.ca ? 'CA' : 'leaf',
      // In <code>, as every text from outside here: a service named `@team` would mention it.
      c.inUse === undefined
        ? 'not checked'
        : c.inUse.map((service) => `<code>${escapeForSummary(service)}</code>`).join(', ') || 'none',
      `<code>${escapeForSummary(c.id)}</code>`,
    ]
      .map((cell) => `<td>${cell}</td>`)
      .join(''),
  )
  const more = certificates.length - rows.length
  const scopeText =
    names.length > 0
      ? ` whose names match ${names.map((p) => `<code>${escapeForSummary(p.source)}</code>`).join(', ')}`
      : ''
  const body = [
    issueMarker(scope),
    `The scheduled mTLS certificate audit found ${plural(certificates.length, 'certificate')} in the Cloudflare account${scopeText} that expire within ${warnDays} days (the step fails within ${failDays}) or have expired. Rotate them before clients are refused.`,
    '',
    `<table>\n<tr><th>Status</th><th>Expires on</th><th>Name</th><th>CA or leaf</th><th>In use by</th><th>ID</th></tr>\n${rows.map((row) => `<tr>${row}</tr>`).join('\n')}\n</table>`,
    ...(more > 0 ? ['', `And ${more} more: see the run's summary.`] : []),
    '',
    'The audit keeps this issue up to date: it edits it when the list changes and closes it when no certificate is left.',
  ].join('\n')
  // Set once, when the issue is created, and then people's to edit: no count in it to go stale.
  const title = 'mTLS certificates expiring in Cloudflare'
  return { title, body }
}
