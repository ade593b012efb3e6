import { escapeForSummary } from '../core/html.ts'
import { plural } from '../core/text.ts'
import { escapeMarkdownCell } from './markdown.ts'
import { CHANGE_ACTIONS, type PlanRow } from '../core/report.ts'

export type { PlanRow } from '../core/report.ts'

export { escapeMarkdownCell } from './markdown.ts'

/**
 * The plan of a manifest run as data (the `plan` output, a JSON array): one row per thing to do or
 * found done, and its renderings for the pull-request comment (Markdown) and the job summary (HTML).
 */

/** Rows that change something: every action but reuse and keep. */
export const countChanges = (rows: readonly PlanRow[]): number =>
  rows.filter((row) => CHANGE_ACTIONS.has(row.action)).length

export const COLUMNS = ['Entry', 'Action', 'Certificate', 'Target', 'Details'] as const

/** A row's cells as plain text, before escaping for Markdown or HTML. */
export function planCells(row: PlanRow): string[] {
  const moves = row.action === 'write-binding' || row.action === 'deploy'
  const id = moves ? (row.newId ?? row.id ?? '') : (row.id ?? '')
  const target = [
    row.store,
    row.worker && `Worker ${row.worker}${row.binding ? ` (${row.binding})` : ''}`,
    row.consumer,
    row.hostnames?.join(', '),
    row.config && (row.section ? `${row.config} (${row.section})` : row.config),
  ].filter(Boolean)
  const was =
    row.action === 'write-binding' && row.oldId !== undefined
      ? `was ${row.oldId || 'unset'}`
      : (row.action === 'deploy' || row.consumer) && row.oldId !== undefined
        ? `serves ${row.oldId || 'nothing'} now`
        : ''
  const details = [was, row.reason ?? '', row.when === 'end-of-job' ? 'at the end of the job' : ''].filter(Boolean)
  return [row.name, row.action, id, target.join('; '), details.join('; ')]
}

/** The hidden marker by which the comment for this manifest is found again. */
export const planMarker = (manifestPath: string): string =>
  `<!-- cloudflare-mtls-certificate plan: ${escapeForSummary(manifestPath).replaceAll('--', '-&#45;')} -->`

/** The plan's one line: what is left to change, or, after a run that applied it, what it changed or scheduled. */
export function summaryLine(rows: readonly PlanRow[], applied = false): string {
  const changes = countChanges(rows)
  if (applied) {
    return changes === 0
      ? 'Nothing changed: the account already matched the manifest.'
      : `${plural(changes, 'change')} made or scheduled (a deploy or a retire at the end of the job is still to come).`
  }
  return changes === 0 ? 'No changes: the account matches the manifest.' : `${plural(changes, 'change')} to make.`
}

/** The pull request's comment: the marker, what changes, and one table. */
export function renderPlanMarkdown(rows: readonly PlanRow[], manifestPath: string): string {
  const table =
    rows.length === 0
      ? []
      : [
          `| ${COLUMNS.join(' | ')} |`,
          `| ${COLUMNS.map(() => '---').join(' | ')} |`,
          ...rows.map((row) => `| ${planCells(row).map(escapeMarkdownCell).join(' | ')} |`),
        ]
  return [
    planMarker(manifestPath),
    `### mTLS certificates: plan for ${escapeMarkdownCell(manifestPath)}`,
    '',
    summaryLine(rows),
    ...(table.length > 0 ? ['', ...table] : []),
    '',
  ].join('\n')
}

/** The job summary's table, every value escaped. */
export function renderPlanHtml(rows: readonly PlanRow[], applied = false): string {
  const head = `<tr>${COLUMNS.map((c) => `<th>${c}</th>`).join('')}</tr>`
  const body = rows.map(
    (row) =>
      `<tr>${planCells(row)
        .map((c) => `<td>${escapeForSummary(c)}</td>`)
        .join('')}</tr>`,
  )
  return `<p>${summaryLine(rows, applied)}</p>\n<table>\n${[head, ...body].join('\n')}\n</table>`
}
