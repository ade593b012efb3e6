import { printable } from '../core/text.ts'

/**
 * Outside text (names, ids, paths, hostnames, Cloudflare's and GitHub's error text) made inert for
 * GitHub Markdown. Escaping character by character cannot keep up with what GitHub turns into links
 * (GFM autolinks: `www.x.com`, `http://…`, `a@b.co`; its own references: `#1`, `owner/repo#1`,
 * `GH-1`, commit SHAs; `@mentions` and `@org/team`), so the text goes whole into a code span: GFM
 * parses no link, emphasis or HTML inside one, and GitHub's reference, mention and autolink filters
 * skip `code` elements.
 */

/** The longest run of backticks in the text. */
const longestBacktickRun = (text: string): number =>
  Math.max(0, ...[...text.matchAll(/`+/g)].map(([run]) => run.length))

/**
 * A table cell's pipe is escaped as `\|`, which GFM's table parser honours inside code spans too.
 * Backslashes just before a pipe are doubled first: the parser reads `\\` as an escaped backslash,
 * and a single one would pair with the escaping backslash and leave the pipe to split the row.
 */
const escapePipes = (text: string): string =>
  text.replace(/(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes}\\|`)

/** What a code span holds for the text: the form in which a secret is looked for in a rendered comment. */
export const codeSpanContent = (text: string): string => escapePipes(printable(text))

/**
 * Text from outside as one inert code span, on one line (control characters shown as `\n`,
 * `\u001b`), safe in a table cell and in running text. The fence is one backtick longer than any
 * run inside, and padded with a space when the text begins or ends with a backtick or space, as
 * GFM strips one space from each side. Empty text stays empty.
 */
export function escapeMarkdownCell(text: string): string {
  const content = codeSpanContent(text)
  if (content === '') return ''
  const fence = '`'.repeat(longestBacktickRun(content) + 1)
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

/**
 * Text from outside as a fenced code block: its lines kept (each printable), inert whatever they
 * hold. The fence is longer than any backtick run inside, so no line can close it.
 */
export function codeBlock(text: string): string {
  const lines = text.split(/\r\n|\r|\n/).map((line) => printable(line))
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(lines.join('\n')) + 1))
  return [fence, ...lines, fence].join('\n')
}

/** Text cut to at most `max` characters (UTF-16 units), saying so, never splitting a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  const note = ' … (cut)'
  let end = Math.max(0, max - note.length)
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--
  return `${text.slice(0, end)}${note}`
}

/** A link to a URL of the run itself (never to outside text): only http(s), with no character that ends it early. */
export function runLink(label: string, url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
  return `[${label}](<${parsed.href.replace(/[<>\s]/g, encodeURIComponent)}>)`
}
