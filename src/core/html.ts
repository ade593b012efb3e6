/** Text from outside, made safe to put in the HTML of job summaries and issues. */
import { printable } from './text.ts'

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
