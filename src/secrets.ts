import { setSecret } from '@actions/core'

/** Lines shorter than this are PEM armour or padding: masking them would blank unrelated log text. */
const MIN_MASKED_LENGTH = 8
const ARMOUR = /^-----(BEGIN|END) [A-Z0-9 ]+-----$/

/**
 * Every form in which a secret could be printed: the value as given, with LF line endings, each
 * line on its own, and the JSON-escaped text (how it sits in a request body an API might echo).
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>()
  const add = (form: string): void => {
    if (form.length >= MIN_MASKED_LENGTH && !ARMOUR.test(form)) forms.add(form)
  }
  const trimmed = value.trim()
  for (const whole of [value, trimmed, trimmed.replace(/\r\n?/g, '\n')]) {
    add(whole)
    add(JSON.stringify(whole).slice(1, -1))
  }
  for (const line of trimmed.split(/\r?\n|\r/)) add(line.trim())
  return [...forms]
}

/** Registers a secret with the runner before anything can print it. */
export function registerSecret(value: string | undefined): void {
  if (!value) return
  for (const form of secretForms(value)) setSecret(form)
}
