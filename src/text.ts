export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
}
/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * Text on one line, with every control character shown visibly, as JSON writes it (`\n`, `\u001b`).
 * The runner reads a CR or LF in logged text as the start of a new line, which it may take for a
 * workflow command (`::add-mask::`, `::stop-commands::`); in the job summary, a blank line ends the
 * HTML block and what follows renders as Markdown. JSON's forms keep a secret's JSON-escaped form,
 * which is masked, recognisable.
 */
export function printable(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (character) => SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
