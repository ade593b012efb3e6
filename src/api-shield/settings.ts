import { domainToASCII } from 'node:url'
import { InputError } from '../core/errors.ts'
import { parseHexId } from '../action/input-parsers.ts'
import { trimmedInputs, type InputSource } from '../action/input-source.ts'
import { printable } from '../core/text.ts'
import type { ApiShieldTarget } from '../certificate/spec.ts'

/**
 * API Shield's inputs: the zone, and the hostnames of it whose client certificates the uploaded CA
 * verifies. Read, checked and normalised, or refused with an InputError that names the input.
 */

/**
 * `zone-id` and `hostnames`, parsed; undefined unless both are set. That they come together, and only
 * with a CA, is a rule of certificate/rules.ts, checked before. The post step does not read them
 * again: the main step saves them with each rotation, and the post step checks what it finds with
 * isZoneId and isHostname below.
 */
export function getApiShieldSettings(source: InputSource): ApiShieldTarget | undefined {
  const read = trimmedInputs(source)
  const zone = read('zone-id')
  const hostnames = read('hostnames')
  if (!zone || !hostnames) return undefined
  return { zoneId: parseZoneId(zone), hostnames: parseHostnames(hostnames) }
}

/** A zone ID, as the dashboard shows it on the zone's overview: 32 hex digits, stored lower-cased. */
export function parseZoneId(value: string): string {
  return parseHexId(
    'zone-id',
    value,
    "the Zone ID on the zone's Overview page in the Cloudflare dashboard",
    'Copy the Zone ID again, not the domain name or the account ID.',
  )
}

/** Whether saved text is a zone id as parseZoneId stores it: the post step checks its saved state so. */
export const isZoneId = (value: unknown): value is string => storedAs(parseZoneId, value)

/** Whether saved text is one hostname as parseHostnames stores it (lower-case ASCII). */
export const isHostname = (value: unknown): value is string => storedAs(parseHostname, value)

/** The parser's own rules, with its stored form: a value it refuses, or would change, is not one it stored. */
function storedAs(parse: (text: string) => string, value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    return parse(value) === value
  } catch (error) {
    if (error instanceof InputError) return false
    throw error
  }
}

const MAX_HOSTNAME_LENGTH = 253
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
/** How much of a refused entry the message quotes. */
const QUOTED_CHARS = 80

/**
 * The hostnames, one per line or comma-separated: DNS names, with `*.` allowed as the whole first label,
 * lower-cased (Unicode names in their ASCII form), in the order given, each once. Blank entries (a
 * trailing comma, an empty line) are skipped; anything that is not a hostname is refused, naming it.
 */
export function parseHostnames(value: string): string[] {
  const hostnames = new Set<string>()
  for (const entry of value.split(/[\n\r,]/)) {
    const text = entry.trim()
    if (text) hostnames.add(parseHostname(text))
  }
  if (hostnames.size === 0) {
    throw new InputError(
      "Input 'hostnames' lists no hostname: give the hostnames of the zone whose client certificates this CA verifies, one per line or comma-separated (api.example.com, *.example.com).",
    )
  }
  return [...hostnames]
}

function parseHostname(text: string): string {
  const refuse = (problem: string, fix = 'give the hostname alone, such as api.example.com'): never => {
    const shown = text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text
    throw new InputError(`Input 'hostnames': '${printable(shown)}' ${problem}: ${fix}.`)
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) refuse('has a scheme')
  if (/\s/.test(text)) refuse('has a space', 'put one hostname per line, or separate them with commas')
  if (/[/?#]/.test(text)) refuse('has a path, query or fragment')
  if (text.includes('@')) refuse('has a user name')
  if (text.includes(':')) refuse('has a port (or is an IPv6 address)', 'give the hostname without :port')
  // Unicode names (bücher.example) in the ASCII form Cloudflare stores; an empty answer means no valid name.
  const ascii = /^[\x20-\x7e]*$/.test(text) ? text.toLowerCase() : domainToASCII(text)
  if (!ascii) refuse('is not a valid internationalised domain name')
  const labels = ascii.split('.')
  if (labels.some((label) => label === '')) {
    refuse('has an empty label (two dots in a row, or a dot at either end)', 'write it as api.example.com')
  }
  const [first, ...rest] = labels
  if (ascii.includes('*') && (first !== '*' || rest.some((label) => label.includes('*')))) {
    refuse('has a wildcard that is not the whole first label', 'use the form *.example.com')
  }
  const named = first === '*' ? rest : labels
  if (named.length < 2) refuse('is not a hostname of a zone', 'give a full name such as api.example.com')
  const bad = named.find((label) => !LABEL.test(label))
  if (bad !== undefined) {
    refuse(
      `has the label '${printable(bad.length > 63 ? `${bad.slice(0, 62)}…` : bad)}'`,
      'each label is 1 to 63 letters, digits or hyphens, not beginning or ending with a hyphen',
    )
  }
  if (ascii.length > MAX_HOSTNAME_LENGTH) refuse(`is longer than ${MAX_HOSTNAME_LENGTH} characters`)
  return ascii
}
