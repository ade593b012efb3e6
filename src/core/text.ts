export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`

/** The first few items, then how many more: a list for a log line, which the outputs give whole. */
export function someOf(items: readonly string[], shown = 10): string {
  const listed = items.slice(0, shown).join(', ')
  return items.length > shown ? `${listed} and ${items.length - shown} more` : listed
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}
/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the format characters
 * (`Cf`: the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, zero
 * widths, the BOM, tags), which reorder or hide what a reader sees.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/gu

/**
 * Text on one line, with every control character shown visibly, as JSON writes it (`\n`, `\u001b`).
 * The runner reads a CR or LF in logged text as the start of a new line, which it may take for a
 * workflow command (`::add-mask::`, `::stop-commands::`); in the job summary, a blank line ends the
 * HTML block and what follows renders as Markdown. JSON's forms keep a secret's JSON-escaped form,
 * which is masked, recognisable.
 */
export function printable(text: string): string {
  return text
    .replace(CONTROL_CHARACTERS, (character) => SHORT_ESCAPES[character] ?? unicodeEscape(character))
    .replaceAll(OLD_COMMAND_FORM, `#${unicodeEscape('#')}[`)
}

/** `\u` and four hex digits for each UTF-16 unit (two for a character beyond U+FFFF, as in JavaScript source). */
const unicodeEscape = (character: string): string =>
  [...Array(character.length).keys()]
    .map((index) => `\\u${character.charCodeAt(index).toString(16).padStart(4, '0')}`)
    .join('')

/**
 * The runner's older command form, `##[name]data`, which it acts on anywhere in a line (`##[error]`,
 * `##[add-mask]`, `##[set-env …]`). Shown as `#\u0023[`: no `##[` can survive, nor be formed by what is
 * around it, as the replacement puts a digit before its `[`.
 */
const OLD_COMMAND_FORM = '##['

/**
 * The runner reads a line as a `::name::` command when it starts so after leading white space (as
 * .NET counts it: U+180E too, in older Unicode).
 */
const COMMAND_START = /^([\s\u180e]*)::/u

/**
 * A line for the log: printable, and unable to start a workflow command. The sink (log.ts) passes
 * every line through this.
 */
export function inertLine(text: string): string {
  const line = printable(text)
  return line.replace(COMMAND_START, (_, space: string) => `${space}${unicodeEscape(':')}:`)
}

/**
 * Two sentences joined: the first gets a full stop unless it already ends in one (or in `?` or `!`),
 * so that an API message ending in a question mark does not become `?.`.
 */
export function joinSentences(first: string, second: string): string {
  return `${endSentence(first)} ${second}`
}

/** The text ending with a full stop, a question or an exclamation mark. */
export const endSentence = (text: string): string => (/[.?!]$/.test(text) ? text : `${text}.`)
