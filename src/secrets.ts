import { setSecret } from '@actions/core'
import { isArmourLine } from './pem.ts'

/** Lines of a multi-line secret shorter than this are PEM padding: masking them would blank unrelated log text. */
const MIN_MASKED_LINE_LENGTH = 8

/**
 * Every form in which a secret could be printed: the value as given, with LF line endings, its
 * JSON-escaped text (how it sits in a request body an API might echo), and each long line on its own.
 * A whole value is always included, however short: a 6-character passphrase is still a secret.
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>()
  const trimmed = value.trim()
  for (const whole of [value, trimmed, trimmed.replace(/\r\n?/g, '\n')]) {
    if (!whole.trim()) continue
    forms.add(whole)
    forms.add(JSON.stringify(whole).slice(1, -1))
  }
  for (const line of trimmed.split(/\r?\n|\r/)) {
    const text = line.trim()
    if (text.length >= MIN_MASKED_LINE_LENGTH && !isArmourLine(text)) forms.add(text)
  }
  return [...forms]
}

/** Every form registered in this process: the log sink never cuts a line inside one (log.ts). */
const registered = new Set<string>()

/** Registers a secret with the runner before anything can print it. */
export function registerSecret(value: string | undefined): void {
  if (!value) return
  for (const form of secretForms(value)) {
    registered.add(form)
    setSecret(form)
  }
}

export const registeredSecrets = (): ReadonlySet<string> => registered
