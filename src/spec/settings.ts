import { getApiSettings, type ApiSettings } from './api-settings.ts'
import { isCertificateName } from '../cloudflare/values.ts'
import { InputError } from '../core/errors.ts'
import { getApiShieldSettings } from '../api-shield/settings.ts'
import { storeScopeOf } from './store-scope.ts'
import { getWranglerTargets } from '../wrangler/settings.ts'
import { checkInputRules } from './input-rules.ts'
import { STORE_NAMES, type CertificateSpec, type PemInput } from '../certificate/spec.ts'
import { EMPTY_INPUT_NOTE, parseBoolean, parseChoice, parseInteger } from '../action/input-parsers.ts'
import { trimmedInputs, type InputSource } from '../action/input-source.ts'
import { MAX_PEM_BYTES, readPemFile } from '../certificate/pem-file.ts'
import { registerPemSecrets, registerSecretInputs } from '../action/secrets.ts'
import { MAX_ROLLBACK_DEPLOYMENTS, parseConsumerKinds } from '../consumers/scope.ts'
import type { ConsumerOptions } from '../consumers/scope.ts'

/** When `replace` deletes: the first is the default. */
const REPLACE_WHEN = ['end-of-job', 'immediately'] as const

/** The step's own settings: how to reach Cloudflare, and what holds for every certificate it handles. */
export interface StepSettings extends ApiSettings {
  expiryWarningDays: number
  /** `end-of-job`: the post step replaces, once every other step of the job has succeeded. */
  replaceWhen: (typeof REPLACE_WHEN)[number]
  /** Plan only: read the account, write nothing. */
  dryRun: boolean
  /** Where the repository is checked out (GITHUB_WORKSPACE): the Wrangler configurations are read there. */
  workspace: string
  /** check-workers: before replace deletes, read the bindings of every Worker in the account. */
  checkWorkers: boolean
  /** check-consumers' Pages and Hyperdrive, and rollback-deployments: what else replace reads before it deletes. */
  consumers: ConsumerOptions
}

/** Everything the upload step needs, validated: built once by `getSettings`, read everywhere else. */
export interface Settings {
  step: StepSettings
  certificate: CertificateSpec
}

/**
 * Reads and validates every input. The secrets among them are registered with the runner first, and
 * those in PEM files once read, so that nothing logged later, not even an error about another input,
 * can show them.
 */
export function getSettings(source: InputSource): Settings {
  registerSecretInputs(source)
  const read = trimmedInputs(source)

  const workspace = workspaceOf(source)
  const store = parseChoice('store', read('store'), STORE_NAMES)
  // Access holds CAs and origin pulls leaves: `ca` may be left out for them; the account store needs it.
  const ca = parseBoolean('ca', read('ca'), () => {
    if (store !== 'mtls') return store === 'access'
    throw new InputError(
      `Input 'ca' is required, and is empty: set ca: true for a CA certificate (uploaded without a key) or ca: false for a client (leaf) certificate. ${EMPTY_INPUT_NOTE}`,
    )
  })
  const allowMissingKey = parseBoolean('allow-missing-key', read('allow-missing-key'), false)
  const replace = readReplace(source)
  // Every rule between the fields, before any file is read: each rule's message is certificate/rules.ts's.
  checkInputRules(source, { ca, allowMissingKey, replace, store })
  const privateKey = readPrivateKey(read, workspace)
  const passphrase = source.input('private-key-passphrase')
  const certificate = readCertificate(read, workspace)
  registerPemSecrets(certificate.text, privateKey?.path === undefined ? undefined : privateKey.text)
  // After the files are read and their secrets registered: a message about a step input comes later.
  const step = getStepSettings(source)
  const spec: CertificateSpec = { certificate, ca, allowMissingKey, replace }
  const name = read('name')
  if (name) spec.name = parseName(name)
  if (privateKey) spec.privateKey = privateKey
  if (store === 'mtls') {
    const apiShield = getApiShieldSettings(source)
    if (apiShield) spec.apiShield = apiShield
    const wrangler = getWranglerTargets(source, workspace)
    if (wrangler) spec.wrangler = wrangler
  } else {
    spec.store = store
    spec.storeScope = storeScopeOf(read)
  }
  // Kept as given, spaces and all; only one of spaces alone (which could not be masked) counts as none.
  if (passphrase.trim()) spec.privateKeyPassphrase = passphrase
  return { step, certificate: spec }
}

/** Where the repository is checked out: the path inputs and the Wrangler configurations are read there. */
const workspaceOf = (source: InputSource): string => source.env.GITHUB_WORKSPACE || process.cwd()

/**
 * The settings that hold for every certificate a step handles, without the per-certificate inputs:
 * what a manifest step reads besides its manifest. Register the secrets first (registerSecretInputs).
 */
export function getStepSettings(source: InputSource): StepSettings {
  const read = trimmedInputs(source)
  return {
    ...getApiSettings(source),
    ...getCheckSettings(source),
    replaceWhen: parseChoice('replace-when', read('replace-when'), REPLACE_WHEN),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
    ...consumerSettings(read),
  }
}

/**
 * What the local checks of a manifest need of the step, without Cloudflare's credentials: a fork's
 * pull request has none, and its manifest is still checked (readManifest with secretsUnavailable).
 */
export function getCheckSettings(source: InputSource): Pick<StepSettings, 'expiryWarningDays' | 'workspace'> {
  const read = trimmedInputs(source)
  return {
    expiryWarningDays: parseInteger('expiry-warning-days', read('expiry-warning-days'), {
      fallback: 30,
      min: 0,
      max: 36500,
    }),
    workspace: workspaceOf(source),
  }
}

/** check-workers and check-consumers (its `workers` is the same as check-workers: true), rollback-deployments. */
function consumerSettings(read: (name: string) => string): Pick<StepSettings, 'checkWorkers' | 'consumers'> {
  const kinds = parseConsumerKinds(read('check-consumers'))
  return {
    checkWorkers: parseBoolean('check-workers', read('check-workers'), false) || kinds.includes('workers'),
    consumers: {
      pages: kinds.includes('pages'),
      hyperdrive: kinds.includes('hyperdrive'),
      rollbackDeployments: parseInteger('rollback-deployments', read('rollback-deployments'), {
        fallback: 0,
        min: 0,
        max: MAX_ROLLBACK_DEPLOYMENTS,
      }),
    },
  }
}

/** The `replace` input: the certificate's in a single-certificate step, the entries' default with a manifest. */
export const readReplace = (source: InputSource): boolean =>
  parseBoolean('replace', trimmedInputs(source)('replace'), false)

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

function readPrivateKey(read: (name: string) => string, workspace: string): PemInput | undefined {
  // Set twice, or with ca: true: refused by the rules already.
  const text = read('private-key')
  const path = read('private-key-path')
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
