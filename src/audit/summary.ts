/** The audit's job summary: counts, thresholds, and a table of every audited certificate by expiry. */
import { usageText, type AuditedCertificate, type ExpiryPolicy, type ExpiryReport } from './expiry-report.ts'
import { escapeForSummary } from '../core/html.ts'
import { plural } from '../core/text.ts'

const STATUS_TEXT: Record<AuditedCertificate['status'], string> = {
  expired: 'expired',
  expiring: 'expiring',
  'not-yet-valid': 'not valid yet',
  ok: 'ok',
  unknown: 'expiry unknown',
}

export function renderAuditSummary(report: ExpiryReport, policy: ExpiryPolicy, accountId: string): string {
  const { certificates } = report
  const count = (status: AuditedCertificate['status']): number => certificates.filter((c) => c.status === status).length
  const failing = certificates.filter((c) => c.failing).length
  const headline = `mTLS certificate audit: ${count('expiring')} expiring, ${count('expired')} expired, of ${plural(certificates.length, 'certificate')}`
  const scope = [
    `Account <code>${escapeForSummary(accountId)}</code>`,
    `warn-days ${policy.warnDays}`,
    policy.failDays > 0 ? `fail-days ${policy.failDays}` : 'fail-days 0 (never fails)',
    ...(policy.names.length > 0
      ? [`names ${policy.names.map((p) => `<code>${escapeForSummary(p.source)}</code>`).join(', ')}`]
      : []),
  ]
  const leftOut = [
    ...(report.leftOut.managed > 0 ? [`${plural(report.leftOut.managed, 'certificate')} managed by Cloudflare`] : []),
    ...(report.leftOut.unmatched > 0
      ? [`${plural(report.leftOut.unmatched, 'certificate')} whose name matches no pattern`]
      : []),
  ]
  const parts = [
    `<h2>${escapeForSummary(headline)}</h2>`,
    `<p>${scope.join('; ')}.${leftOut.length > 0 ? ` Left out: ${leftOut.join(', ')}.` : ''}${failing > 0 ? ` <strong>${plural(failing, 'certificate')} fail${failing === 1 ? 's' : ''} the step.</strong>` : ''}</p>`,
  ]
  if (certificates.length > 0) parts.push(auditTable(certificates))
  return `${parts.join('\n')}\n`
}

function auditTable(certificates: readonly AuditedCertificate[]): string {
  const rows = certificates.map((c) => {
    const cells = [
      `${c.failing ? '❌' : c.status === 'ok' ? '✅' : '⚠️'} ${escapeForSummary(STATUS_TEXT[c.status])}`,
      c.status === 'unknown' ? '' : String(c.daysLeft),
      nameCell(c),
      c.ca ? 'CA' : 'leaf',
      escapeForSummary(usageText(c) ?? 'not checked'),
      `<code>${escapeForSummary(c.id)}</code>`,
    ]
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`
  })
  const header = ['Status', 'Days left', 'Name', 'CA or leaf', 'In use by', 'ID'].map((h) => `<th>${h}</th>`).join('')
  return `<table>\n<tr>${header}</tr>\n${rows.join('\n')}\n</table>`
}

function nameCell(c: AuditedCertificate): string {
  const notes = [
    ...(c.expiresOn ? [`expires ${c.expiresOn}`] : []),
    ...(c.expiresFirst ? [`${c.expiresFirst} expires first`] : []),
    ...(c.notValidUntil ? [`not valid until ${c.notValidUntil}`] : []),
  ]
  const name = c.name ? escapeForSummary(c.name) : '<em>(unnamed)</em>'
  return `${name}${notes.length > 0 ? `<br><sub>${escapeForSummary(notes.join('; '))}</sub>` : ''}`
}
