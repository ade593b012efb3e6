import type { HostnameAttachment } from '../api-shield/plan.ts'
import type { Outputs } from './outputs.ts'
import type { ReplaceOutcome } from '../replace/policy.ts'
import { hostnamesSection, replacementsTable } from '../replace/summary.ts'
import type { StepSettings } from './settings.ts'
import { escapeForSummary } from '../core/html.ts'
import { runUrl, type RunContext } from '../action/run-context.ts'
import type { CertificateResult } from './result.ts'
import { editStatus } from './wrangler.ts'

/**
 * The upload's job summary, rendered as HTML from what the step did or would do (a dry run): one
 * renderer for both, each "would" read from the values (the action, `applied`), not from a flag.
 */

/** What the run did, as the summary shows it (reportOf in step.ts builds it from a CertificateResult). */
export interface RunReport extends ReplaceOutcome {
  action: 'uploaded' | 'reused' | 'would upload' | 'would reuse'
  /** The step's dry-run setting, which the replace section reports. */
  dryRun: boolean
  outputs: Outputs
  daysLeft: number
  /** Replace was asked for and goes ahead (it is skipped when the certificate is reused under another name). */
  replace: boolean
  replaceWhen: StepSettings['replaceWhen']
  /** API Shield, with zone-id: the CA's hostnames in the zone. */
  hostnames?: HostnameAttachment
  /** Wrangler: the edits of the spec's configurations, and the files written. */
  wrangler?: CertificateResult['wrangler']
}

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

  if (report.replace) parts.push(...replaceSection(report))
  if (report.hostnames) {
    parts.push(hostnamesSection(report.hostnames.zoneId, report.replacements, report.hostnames))
    if (report.replace && report.replaceWhen === 'end-of-job' && !report.dryRun) {
      parts.push(
        `<p>At the end of the job, replace first detaches these hostnames from the older CAs named ${escapeForSummary(report.outputs.name)}; an older CA is deleted once it serves none and Cloudflare no longer reports it in use.</p>`,
      )
    }
  }
  if (report.wrangler) parts.push(wranglerSection(report.wrangler))
  parts.push(`<p>${provenance(context)}</p>`)
  return `${parts.join('\n')}\n`
}

/** What replace did in this step, would do (a dry run), or leaves to the post step. */
function replaceSection(report: RunReport): string[] {
  const name = escapeForSummary(report.outputs.name)
  const scheduled = report.replaceWhen === 'end-of-job'
  if (scheduled && !report.dryRun) {
    const candidates = report.candidates.map((id) => `<code>${escapeForSummary(id)}</code>`).join(', ')
    return [
      `<p>Replace runs at the end of the job, once every other step has succeeded: it deletes the older certificates named ${name} that no service uses then${candidates ? ` (now: ${candidates})` : ' (none now)'}.</p>`,
    ]
  }
  const when = report.dryRun && scheduled ? ' (at the end of the job, as things stand now)' : ''
  if (report.replacements.length === 0) {
    return [`<p>Replace${when}: no older certificate with this name and CA flag was found.</p>`]
  }
  return [`<h3>Other certificates named ${name}${when}</h3>\n${replacementsTable(report.replacements)}`]
}

/** Each file and section of the Wrangler configurations: the old id, the new, and whether it is written. */
function wranglerSection({ edits, written }: NonNullable<RunReport['wrangler']>): string {
  const code = (text: string): string => `<code>${escapeForSummary(text)}</code>`
  const rows = edits.files.flatMap((file) =>
    file.entries.map(
      (entry) =>
        `<tr><td>${code(file.config)}</td><td>${escapeForSummary(entry.section)}</td><td>${code(file.binding)}</td><td>${entry.oldId === undefined ? '(none)' : code(entry.oldId)}</td><td>${code(entry.newId)}</td><td>${escapeForSummary(entry.oldId === entry.newId ? 'unchanged' : editStatus(file.changed, file.config, written))}</td></tr>`,
    ),
  )
  return `<h3>Wrangler configurations</h3>\n<table>\n<tr><th>File</th><th>Section</th><th>Binding</th><th>Old id</th><th>New id</th><th>Status</th></tr>\n${rows.join('\n')}\n</table>`
}

function provenance(context: RunContext): string {
  if (!context.repository) return 'Uploaded outside a GitHub Actions run.'
  const base = `${context.serverUrl}/${context.repository}`
  const commit = context.sha
    ? ` at commit <a href="${escapeForSummary(`${base}/commit/${context.sha}`)}"><code>${escapeForSummary(context.sha.slice(0, 12))}</code></a>`
    : ''
  const url = runUrl(context)
  const run = url ? ` in <a href="${escapeForSummary(url)}">run ${context.runId}</a>` : ''
  return `From <a href="${escapeForSummary(base)}">${escapeForSummary(context.repository)}</a>${commit}${run}.`
}
