import { InputError } from '../core/errors.ts'

/**
 * Readers for one input's trimmed value, each with its default for an empty value. Every message
 * names the input; the messages quote at most 20 characters of what was given.
 */

/**
 * For a required input found empty: the runner gives an input set from an expression that expands to
 * nothing (`zone-id: ${{ vars.CLOUDFLARE_ZONE_ID }}` with the variable unset) as empty, just as one
 * not set, so the message cannot tell them apart and names both.
 */
export const EMPTY_INPUT_NOTE =
  'If the workflow sets it from an expression (such as ${{ vars.NAME }} or ${{ secrets.NAME }}), that variable or secret is not set where this job runs, or is misspelled: an unset variable or secret reads as empty.'

/** The value as a message quotes it: at most 20 characters, a cut marked with an ellipsis. */
const quoted = (value: string): string => `'${value.length > 20 ? `${value.slice(0, 19)}…` : value}'`

/** One of a fixed set of words; empty means the first, the default. */
export function parseChoice<const T extends readonly [string, ...string[]]>(
  name: string,
  value: string,
  choices: T,
): T[number] {
  if (value === '') return choices[0]
  const choice = choices.find((candidate) => candidate === value)
  if (choice === undefined) {
    throw new InputError(
      `Input '${name}' must be one of ${choices.join(', ')}, got ${quoted(value)}. Remove it to use the default, ${choices[0]}.`,
    )
  }
  return choice
}

/**
 * YAML 1.2 core-schema booleans only: `yes`, `on` and `1` are rejected as ambiguous. `whenEmpty` is
 * the default, or, for a required input, what throws the error that says what to set.
 */
export function parseBoolean(name: string, value: string, whenEmpty: boolean | (() => boolean)): boolean {
  if (value === '') return typeof whenEmpty === 'boolean' ? whenEmpty : whenEmpty()
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(
    `Input '${name}' must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE), got ${quoted(value)}.`,
  )
}

/** A whole number within [min, max]. */
export function parseInteger(
  name: string,
  value: string,
  range: { fallback: number; min: number; max: number },
): number {
  if (value === '') return range.fallback
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < range.min || number > range.max) {
    throw new InputError(
      `Input '${name}' must be a whole number from ${range.min} to ${range.max}, got ${quoted(value)}. Remove it to use the default, ${range.fallback}.`,
    )
  }
  return number
}

/** A number of seconds in (0, 3600], fractions allowed. */
export function parsePositiveSeconds(name: string, value: string, fallback: number): number {
  if (value === '') return fallback
  const number = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || !(number > 0) || number > 3600) {
    throw new InputError(
      `Input '${name}' must be a number of seconds greater than 0 and at most 3600, got ${quoted(value)}. Remove it to use the default, ${fallback}.`,
    )
  }
  return number
}

/**
 * A Cloudflare ID as the dashboard shows it, 32 hex digits, stored lower-cased. `source` says where
 * the dashboard shows it, `mistaken` what is often copied instead.
 */
export function parseHexId(name: string, value: string, source: string, mistaken: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(value)) {
    throw new InputError(
      `Input '${name}' must be 32 hexadecimal characters (${source}), but the value given has ${value.length} characters${/[^0-9a-fA-F]/.test(value) ? ' and some are not hex digits' : ''}. ${mistaken}`,
    )
  }
  return value.toLowerCase()
}
