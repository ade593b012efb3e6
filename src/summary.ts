import type { RunReport } from './report.ts'
import { printable } from './text.ts'

export interface RunContext {
  serverUrl: string
  repository?: string
  sha?: string
  runId?: number
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
}
/**
 * Text for the summary's HTML and Markdown, on one line: names, issuers and ids come from outside. A
 * line break could end the HTML block (a blank line), after which text renders as Markdown.
 */
export const escapeForSummary = (text: string): string => printable(text).replace(/[&<>"'|]/g, (c) => ESCAPES[c] ?? c)

const HEADLINES: Record<RunReport['action'], string> = {
  uploaded: 'Uploaded a new mTLS certificate to Cloudflare',
  reused: 'The account already holds this mTLS certificate: nothing uploaded',
  'would upload': 'Dry run: this certificate would be uploaded',
  'would reuse': 'Dry run: the account already holds this certificate; nothing would be uploaded',
}

/** The job summary as HTML; every value in it is escaped. */
export function renderSummary(report: RunReport, context: RunContext): string {
  const o = report.outputs
  const rows: [string, string][] = [
    ['Name', o.name || '(none)'],
    ['Certificate ID', o['certificate-id'] || '(not uploaded)'],
    ['CA', o.ca],
    ['Issuer', o.issuer],
    ['Serial number', o['serial-number']],
    ['Signature', o.signature],
    ['Expires on', `${o['expires-on']} (${report.daysLeft} days left)`],
    ['Uploaded on', o['uploaded-on'] || '(not uploaded)'],
    ['SHA-256 fingerprint', o['fingerprint-sha256']],
  ]
  const table = rows
    .map(
      ([key, value]) =>
        `<tr><th align="left">${escapeForSummary(key)}</th><td><code>${escapeForSummary(value)}</code></td></tr>`,
    )
    .join('\n')
  const parts = [`<h2>${escapeForSummary(HEADLINES[report.action])}</h2>`, `<table>\n${table}\n</table>`]

  if (report.replace) {
    if (report.replacements.length === 0) {
      parts.push('<p>Replace: no older certificate with this name and CA flag was found.</p>')
    } else {
      const lines = report.replacements
        .map(
          (r) =>
            `<tr><td><code>${escapeForSummary(r.id)}</code></td><td>${escapeForSummary(r.uploadedOn ?? '')}</td><td>${escapeForSummary(r.action)}</td><td>${escapeForSummary(r.reason)}</td></tr>`,
        )
        .join('\n')
      parts.push(
        `<h3>Other certificates named ${escapeForSummary(o.name)}</h3>\n<table>\n<tr><th>ID</th><th>Uploaded on</th><th>Action</th><th>Why</th></tr>\n${lines}\n</table>`,
      )
    }
  }
  parts.push(`<p>${provenance(context)}</p>`)
  return `${parts.join('\n')}\n`
}

function provenance(context: RunContext): string {
  if (!context.repository) return 'Uploaded outside a GitHub Actions run.'
  const base = `${context.serverUrl}/${context.repository}`
  const commit = context.sha
    ? ` at commit <a href="${escapeForSummary(`${base}/commit/${context.sha}`)}"><code>${escapeForSummary(context.sha.slice(0, 12))}</code></a>`
    : ''
  const run = context.runId
    ? ` in <a href="${escapeForSummary(`${base}/actions/runs/${context.runId}`)}">run ${context.runId}</a>`
    : ''
  return `From <a href="${escapeForSummary(base)}">${escapeForSummary(context.repository)}</a>${commit}${run}.`
}
