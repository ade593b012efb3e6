import { redactSecrets } from '../action/secrets.ts'
import { codeBlock, cutText, escapeMarkdownCell, runLink } from './markdown.ts'
import { COLUMNS, countChanges, planCells, planMarker, summaryLine, type PlanRow } from './plan-table.ts'
import { plural } from '../core/text.ts'

/**
 * The pull-request comment's text: the plan framed by what it is for (the commit planned, when,
 * the run), or the plan's failure; every outside value inert, and cut to fit GitHub's limit.
 */

/** A manifest entry whose plan failed: its rows are missing from the table. */
export interface FailedEntry {
  name: string
  /** The entry's line in the manifest; absent for the single step's inputs. */
  line?: number
  message: string
}

/** What a comment is for. */
export interface CommentFrame {
  /** The `manifest` input. */
  manifestPath: string
  /** The pull request's head commit (not GITHUB_SHA, a merge commit); undefined when the event has none. */
  commit?: string | undefined
  /** A link to the commit, when the run's repository is known. */
  commitUrl?: string | undefined
  /** When the plan was made. */
  at: Date
  /** The run's page, whose summary holds the whole plan. */
  runUrl?: string | undefined
}

/** GitHub refuses a comment body over 65,536 characters (HTTP 422). */
export const GITHUB_COMMENT_LIMIT = 65_536
/** What a body may take, in UTF-8 bytes (never fewer than its characters), leaving room for the last redaction. */
const BUDGET = GITHUB_COMMENT_LIMIT - 1_024
/** One failed entry's message at most, in characters: a long one would crowd out the plan. */
const MAX_MESSAGE = 2_000
/** The error of a failed plan at most, in characters. */
const MAX_ERROR = 20_000

const size = (lines: readonly string[]): number => Buffer.byteLength(lines.join('\n'), 'utf8')

/** `2026-12-07 17:58 UTC` */
export const utcTime = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`

/** The stamp a comment carries, which comparing two comments leaves aside: a re-run with the same plan edits nothing. */
const STAMP = / at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/

/** The body with its time taken out, for comparing. */
export const withoutTime = (body: string): string => body.replace(/\r\n/g, '\n').replace(STAMP, '')

function commitText(frame: CommentFrame): string {
  if (frame.commit === undefined) return "the pull request's head commit (the event named none)"
  const label = `\`${frame.commit.slice(0, 12)}\``
  return `commit ${(frame.commitUrl && runLink(label, frame.commitUrl)) ?? label}`
}

function heading(frame: CommentFrame): string[] {
  return [planMarker(frame.manifestPath), `### mTLS certificates: plan for ${escapeMarkdownCell(frame.manifestPath)}`]
}

const summaryLink = (frame: CommentFrame): string =>
  runLink("the run's summary", frame.runUrl) ?? "the job summary of this pull request's latest run"

/** What the plan comes to; with entries failed, never "no changes": their rows are missing. */
export function planHeadline(rows: readonly PlanRow[], failed = 0): string {
  const changes = countChanges(rows)
  if (failed === 0) return summaryLine(rows)
  const others = changes === 0 ? 'no changes' : plural(changes, 'change')
  return `${failed} ${failed === 1 ? 'entry' : 'entries'} failed, so the plan is incomplete: ${others} planned for the others.`
}

/** The table in Markdown, every cell inert: the header lines, then one line per row. */
function planTable(rows: readonly PlanRow[]): { header: string[]; lines: string[] } {
  return {
    header: [`| ${COLUMNS.join(' | ')} |`, `| ${COLUMNS.map(() => '---').join(' | ')} |`],
    lines: rows.map((row) => `| ${planCells(row).map(markdownCell).join(' | ')} |`),
  }
}

/** A cell: each registered secret blanked first (as in the summary), then an inert code span. */
const markdownCell = (text: string): string => escapeMarkdownCell(redactSecrets(text))

const stamp = (frame: CommentFrame): string => `Planned for ${commitText(frame)} at ${utcTime(frame.at)}.`

/** A plan the caller rendered (renderPlanMarkdown), with the frame's line after its heading, cut to fit. */
export function framedBody(body: string, frame: CommentFrame): string {
  const lines = body.replace(/\r\n/g, '\n').split('\n')
  if (lines[0] !== planMarker(frame.manifestPath)) lines.unshift(planMarker(frame.manifestPath))
  const at = lines[1]?.startsWith('### ') ? 2 : 1
  lines.splice(at, 0, '', stamp(frame))
  return cutText(lines.join('\n'), BUDGET / 4)
}

/** The plan's comment: the frame, the headline, the failed entries, and the table, cut to fit. */
export function planCommentBody(rows: readonly PlanRow[], failed: readonly FailedEntry[], frame: CommentFrame): string {
  const head = [...heading(frame), '', stamp(frame), '', planHeadline(rows, failed.length)]
  const failedLines = failed.map(
    (entry) =>
      `- ${escapeMarkdownCell(redactSecrets(entry.name))}${entry.line === undefined ? '' : ` (line ${entry.line})`}: ${escapeMarkdownCell(cutText(redactSecrets(entry.message), MAX_MESSAGE))}`,
  )
  const { header, lines } = planTable(rows)
  // The note's size with the most rows it can name, so that the cut below always fits.
  const note = (left: number, of: number, what = ['row', 'rows']): string[] =>
    left === 0
      ? []
      : [
          '',
          `_${left} ${left === 1 ? what[0] : what[1]} of ${of} left out, to fit GitHub's limit for a comment: the whole plan is in ${summaryLink(frame)}._`,
        ]
  const failedPart = (kept: number): string[] =>
    failed.length === 0
      ? []
      : [
          '',
          'Failed entries (no rows for them below):',
          ...failedLines.slice(0, kept),
          ...note(failed.length - kept, failed.length, ['failed entry', 'failed entries']),
        ]
  const tablePart = (kept: number): string[] =>
    rows.length === 0 ? [] : ['', ...header, ...lines.slice(0, kept), ...note(rows.length - kept, rows.length)]

  let failedKept = failed.length
  while (failedKept > 0 && size([...head, ...failedPart(failedKept), ...tablePart(0), '']) > BUDGET) failedKept--
  const room = BUDGET - size([...head, ...failedPart(failedKept), ...tablePart(0), ''])
  let rowsKept = 0
  let used = 0
  for (const line of lines) {
    const cost = Buffer.byteLength(line, 'utf8') + 1
    if (used + cost > room) break
    used += cost
    rowsKept++
  }
  return [...head, ...failedPart(failedKept), ...tablePart(rowsKept), ''].join('\n')
}

/** The comment of a plan that failed: which commit, when, the error, and where the run is. */
export function failureCommentBody(error: string, frame: CommentFrame): string {
  const run = runLink('the run', frame.runUrl)
  return [
    ...heading(frame),
    '',
    `**The plan failed** for ${commitText(frame)} at ${utcTime(frame.at)}: any plan shown here before is withdrawn, and may no longer hold.`,
    '',
    codeBlock(cutText(redactSecrets(error), MAX_ERROR)),
    '',
    run ? `Fix what it says and push again; ${run} has the log.` : 'Fix what it says and push again.',
    '',
  ].join('\n')
}
