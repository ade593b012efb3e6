import { getApiSettings, type ApiSettings } from '../cloudflare/settings.ts'
import { InputError } from '../core/errors.ts'
import { getApiShieldSettings, type ApiShieldSettings } from '../api-shield/settings.ts'
import { EMPTY_INPUT_NOTE, parseBoolean, parseChoice, parseInteger } from '../action/input-parsers.ts'
import type { InputSource } from '../action/input-source.ts'
import { MAX_PEM_BYTES, readPemFile } from '../certificate/pem-file.ts'
import { registerPemSecrets, registerSecretInputs } from '../action/secrets.ts'

/** Everything the upload step needs, validated: built once by `getSettings`, read everywhere else. */

/** PEM text together with the input it came from, so that checks can name that input. */
export interface PemInput {
  text: string
  /** The input the user set: `certificate`, `certificate-path`, `private-key` or `private-key-path`. */
  input: string
  /** For a path input: the path as the user wrote it. */
  path?: string
}

/** How messages name a PEM input: `input 'certificate'`, or `certificate-path 'certs/client.pem'`. */
export function describePemInput(input: PemInput): string {
  return input.path ? `${input.input} '${input.path}'` : `input '${input.input}'`
}

/** When `replace` deletes: the first is the default. */
const REPLACE_WHEN = ['end-of-job', 'immediately'] as const

export interface Settings extends ApiSettings {
  certificate: PemInput
  privateKey?: PemInput
  /** As given, not trimmed: spaces at either end may be part of it. */
  privateKeyPassphrase?: string
  ca: boolean
  /** A client certificate may go without its key, as the workflow says explicitly. */
  allowMissingKey: boolean
  name?: string
  expiryWarningDays: number
  replace: boolean
  /** `end-of-job`: the post step replaces, once every other step of the job has succeeded. */
  replaceWhen: (typeof REPLACE_WHEN)[number]
  dryRun: boolean
  /** API Shield: with zone-id and hostnames (only for a CA). */
  apiShield?: ApiShieldSettings
}

/**
 * Reads and validates every input. The secrets among them are registered with the runner first, and
 * those in PEM files once read, so that nothing logged later, not even an error about another input,
 * can show them.
 */
export function getSettings(source: InputSource): Settings {
  registerSecretInputs(source)
  const read = (name: string): string => source.input(name).trim()

  const workspace = source.env.GITHUB_WORKSPACE || process.cwd()
  const ca = parseBoolean('ca', read('ca'), () => {
    throw new InputError(
      `Input 'ca' is required, and is empty: set ca: true for a CA certificate (uploaded without a key) or ca: false for a client (leaf) certificate. ${EMPTY_INPUT_NOTE}`,
    )
  })
  const privateKey = readPrivateKey(read, workspace, ca)
  const passphrase = source.input('private-key-passphrase')
  const certificate = readCertificate(read, workspace)
  registerPemSecrets(certificate.text, privateKey?.path === undefined ? undefined : privateKey.text)

  const settings: Settings = {
    ...getApiSettings(source),
    certificate,
    ca,
    allowMissingKey: parseBoolean('allow-missing-key', read('allow-missing-key'), false),
    expiryWarningDays: parseInteger('expiry-warning-days', read('expiry-warning-days'), {
      fallback: 30,
      min: 0,
      max: 36500,
    }),
    replace: parseBoolean('replace', read('replace'), false),
    replaceWhen: parseChoice('replace-when', read('replace-when'), REPLACE_WHEN),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
  }
  const name = read('name')
  if (name) settings.name = parseName(name)
  if (privateKey) settings.privateKey = privateKey
  const apiShield = getApiShieldSettings(source, ca)
  if (apiShield) settings.apiShield = apiShield
  // Kept as given, spaces and all; only one of spaces alone (which could not be masked) counts as none.
  if (passphrase.trim()) settings.privateKeyPassphrase = passphrase
  if (settings.replace && !settings.name) {
    throw new InputError(
      "Input 'replace' needs 'name': replace deletes the older certificates with the same name, so set name: to the label this certificate rotates under.",
    )
  }
  return settings
}

/** A certificate's name as this action gives it: one line of at most 200 characters. */
export const isCertificateName = (name: string): boolean => name.length <= 200 && !/\p{Cc}/u.test(name)

function parseName(name: string): string {
  if (!isCertificateName(name)) {
    throw new InputError(
      "Input 'name' must be a single line of at most 200 characters: it is the label shown in the Cloudflare dashboard.",
    )
  }
  return name
}

function readCertificate(read: (name: string) => string, workspace: string): PemInput {
  const text = read('certificate')
  const path = read('certificate-path')
  if (text && path) {
    throw new InputError(
      "Inputs 'certificate' and 'certificate-path' are both set: give the certificate once, either as PEM text in certificate or as a file in certificate-path.",
    )
  }
  if (path) return { text: readPemFile('certificate-path', path, workspace), input: 'certificate-path', path }
  if (text) return { text: boundedText('certificate', text), input: 'certificate' }
  throw new InputError(
    'No certificate given: set certificate-path: to the PEM file in your repository (for example certs/client.pem), or certificate: to the PEM text.',
  )
}

function readPrivateKey(read: (name: string) => string, workspace: string, ca: boolean): PemInput | undefined {
  const text = read('private-key')
  const path = read('private-key-path')
  if (text && path) {
    throw new InputError(
      "Inputs 'private-key' and 'private-key-path' are both set: give the key once, preferably as private-key: ${{ secrets.CLIENT_KEY }}.",
    )
  }
  if ((text || path) && ca) {
    throw new InputError(
      `Input '${text ? 'private-key' : 'private-key-path'}' is set with ca: true: a CA certificate is uploaded without its private key. Remove the key input, or set ca: false if this is a client certificate.`,
    )
  }
  if (text) return { text: boundedText('private-key', text), input: 'private-key' }
  if (!path) return undefined
  return { text: readPemFile('private-key-path', path, workspace), input: 'private-key-path', path }
}

function boundedText(name: string, text: string): string {
  if (Buffer.byteLength(text) > MAX_PEM_BYTES) {
    throw new InputError(
      `Input '${name}' is larger than ${MAX_PEM_BYTES / 1024} KiB: a PEM certificate chain or key is a few KiB. Check that the right value is passed.`,
    )
  }
  return text
}
