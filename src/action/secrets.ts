import { setSecret } from '@actions/core'
import type { InputSource } from './input-source.ts'
import { isArmourLine, isPrivateKeyLabel, normalisePem, scanPem } from '../certificate/pem.ts'
import { printable } from '../core/text.ts'

/**
 * Every secret, and every form of it the action makes, registered with the runner (core.setSecret)
 * before anything is logged: the runner then masks it in every line the step prints.
 */

/** Lines of a multi-line secret shorter than this are PEM padding: masking them would blank unrelated log text. */
const MIN_MASKED_LINE_LENGTH = 8

/**
 * Every form in which a secret could be printed: the value as given, with LF line endings, its
 * JSON-escaped text (how it sits in a request body an API might echo), its printable form (how the
 * log sink shows it), and each long line on its own.
 * A whole value is always included, however short: a 6-character passphrase is still a secret.
 */
export function secretForms(value: string): string[] {
  const forms = new Set<string>()
  const trimmed = value.trim()
  for (const whole of [value, trimmed, trimmed.replace(/\r\n?/g, '\n')]) {
    if (!whole.trim()) continue
    forms.add(whole)
    forms.add(JSON.stringify(whole).slice(1, -1))
    // How the log sink shows it (text.ts): controls and format characters escaped.
    forms.add(printable(whole))
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

/**
 * The runner masks the log, not what the action writes elsewhere (the job summary, a pull-request
 * comment): every registered form is blanked there, as given and as `escape` renders it, so that an
 * error quoting one (an API echoing a request) is safe.
 */
export function redactSecrets(text: string, escape: (form: string) => string = (form) => form): string {
  const forms = [...registered].flatMap((form) => [form, escape(form)])
  // Longest first: a secret's line must not break up the whole secret it is part of.
  forms.sort((a, b) => b.length - a.length)
  return forms.reduce((redacted, form) => (form ? redacted.split(form).join('***') : redacted), text)
}

/**
 * Registers every secret the inputs and environment hold with the runner. Each step's process does
 * this before it logs anything: the post step too, which reads the API inputs again.
 */
export function registerSecretInputs(source: InputSource): void {
  // As given: registerSecret adds the trimmed form, so both are masked.
  // github-token is the audit's; the upload action has no such input, and reads it as empty.
  for (const name of ['api-token', 'api-key', 'private-key-passphrase', 'github-token'])
    registerSecret(source.input(name))
  for (const name of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'GITHUB_TOKEN']) registerSecret(source.env[name])
  registerKey(source.input('private-key'))
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) registerProxyPassword(source.env[name])
}

/**
 * A proxy URL may carry credentials (http://user:secret@proxy:3128). They are masked as written,
 * decoded, and, for a URL that does not parse (an unencoded # or / in the password), as everything
 * between the scheme and the last @: Node's error for such a URL quotes it whole. The Basic credentials
 * sent to the proxy are masked too.
 */
function registerProxyPassword(proxy: string | undefined): void {
  const userinfo = proxy ? /^(?:[a-z][a-z0-9+.-]*:\/\/)?(.*)@/i.exec(proxy)?.[1] : undefined
  if (!userinfo) return
  registerSecret(userinfo)
  const password = userinfo.slice(userinfo.indexOf(':') + 1)
  if (userinfo.includes(':') && password) {
    registerSecret(password)
    try {
      const decoded = decodeURIComponent(password)
      registerSecret(decoded)
      // The Proxy-Authorization value undici makes of the credentials: a derived form, masked too.
      const user = decodeURIComponent(userinfo.slice(0, userinfo.indexOf(':')))
      registerSecret(Buffer.from(`${user}:${decoded}`).toString('base64'))
    } catch {
      // Not percent-encoded text: the raw form above is what can be printed.
    }
  }
}

/**
 * A key is masked as given (not trimmed), so that every line the runner may print is covered, and as
 * the PEM scanner reads it: indentation gone and literal \n turned into line breaks, a form this
 * action makes of the secret.
 */
function registerKey(text: string): void {
  registerSecret(text)
  registerSecret(normalisePem(text))
}

/**
 * PEM text read from files, or pasted where a key does not belong, registered once the inputs are
 * read and before they are checked: the key file's text, and any key in the certificate's text (an
 * error will say it is there).
 */
export function registerPemSecrets(certificateText: string, keyFileText: string | undefined): void {
  if (keyFileText !== undefined) registerKey(keyFileText)
  const scan = scanPem(certificateText)
  for (const block of scan.blocks) if (isPrivateKeyLabel(block.label)) registerSecret(block.text)
  if (scan.truncatedLabel && isPrivateKeyLabel(scan.truncatedLabel)) registerSecret(certificateText)
}
