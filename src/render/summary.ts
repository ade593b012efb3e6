import { escapeForSummary } from '../core/html.ts'
import { errorMessage } from '../core/errors.ts'
import type { Report } from '../core/report.ts'
import { runUrl, type RunContext } from '../action/run-context.ts'
import { sectionsHtml } from './html.ts'
import { renderPlanHtml, type PlanRow } from './plan-table.ts'
import { headline } from './words.ts'

/** The job summary as HTML, every value escaped: one certificate's in detail, or a manifest's plan. */

/** A single certificate's summary: what was done (or planned), its facts, and each target's section. */
export function singleSummary(
  report: Report,
  facts: { daysLeft: number; applied: boolean },
  context: RunContext,
): string {
  const o = report.outputs as Record<string, string>
  const rows: [string, string][] = [
    ['Name', o.name || '(none)'],
    ['Certificate ID', o['certificate-id'] || '(not uploaded)'],
    ['CA', o.ca ?? ''],
    ['Issuer', o.issuer ?? ''],
    ['Serial number', o['serial-number'] ?? ''],
    ['Signature', o.signature ?? ''],
    ['Expires on', `${o['expires-on'] ?? ''} (${facts.daysLeft} days left)`],
    ['Uploaded on', o['uploaded-on'] || '(not uploaded)'],
    ['SHA-256 fingerprint', o['fingerprint-sha256'] ?? ''],
  ]
  const table = rows
    .map(
      ([key, value]) =>
        `<tr><th align="left">${escapeForSummary(key)}</th><td><code>${escapeForSummary(value)}</code></td></tr>`,
    )
    .join('\n')
  const placement = report.rows[0]?.action === 'upload' ? 'upload' : 'reuse'
  const parts = [
    `<h2>${escapeForSummary(headline(placement, facts.applied, report.rows[0]?.store))}</h2>`,
    `<table>\n${table}\n</table>`,
    ...sectionsHtml(report.sections),
    `<p>${provenance(context)}</p>`,
  ]
  return `${parts.join('\n')}\n`
}

/** A manifest's summary: the plan's table, and the entries that failed. */
export function manifestSummary(
  manifest: string,
  dryRun: boolean,
  rows: readonly PlanRow[],
  failed: readonly { name: string; error: unknown }[],
): string {
  const parts = [
    `<h2>mTLS certificates${dryRun ? ' (dry run)' : ''}: ${escapeForSummary(manifest)}</h2>`,
    renderPlanHtml(rows, !dryRun),
  ]
  if (failed.length > 0) {
    const items = failed.map(
      ({ name, error }) => `<li><code>${escapeForSummary(name)}</code>: ${escapeForSummary(errorMessage(error))}</li>`,
    )
    parts.push(`<p>Failed:</p>\n<ul>\n${items.join('\n')}\n</ul>`)
  }
  return `${parts.join('\n')}\n`
}

/** The post step's summary: each retire's sections. */
export const postSummary = (reports: readonly Report[]): string =>
  reports.map((report) => `${sectionsHtml(report.sections).join('\n')}\n`).join('')

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

/** The post step's section for a retire that could not finish: why, and that the older ones are left. */
export const postFailure = (name: string, id: string, message: string): string =>
  `<h3>Replace at the end of the job: certificates named ${escapeForSummary(name)} older than <code>${escapeForSummary(id)}</code></h3>\n<p>Could not finish: ${escapeForSummary(message)}. Older certificates with this name are left as they were.</p>\n`
