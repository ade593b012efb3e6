import { isRecord } from '../core/record.ts'
import { readFileSync, statSync } from 'node:fs'
import { InputError, errorCode } from '../core/errors.ts'
import { pathInWorkspace } from '../core/workspace-path.ts'
import { printable } from '../core/text.ts'
import type { BindingTarget } from '../certificate/spec.ts'
import {
  ConfigSyntaxError,
  DuplicateKeyError,
  sectionOf,
  type CertificateEntry,
  type ConfigDocument,
} from './document.ts'
import { wranglerParsers } from './parsers.ts'
import { decodeConfig, hasWideBom, type ConfigEncoding } from './encoding.ts'

/**
 * Loading the Wrangler configurations the inputs name, before any request: each file exists inside the
 * workspace, parses, and has an `mtls_certificates` entry with the binding; otherwise an InputError
 * names the file (and the line, or the bindings it does have).
 */

/** A configuration is a few KiB; anything past this is the wrong file. */
const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * How the messages name what is wrong: the file, and the binding's name. The inputs' by default;
 * a manifest's are its file, line and field (`deploy/certificates.yml:8: certificates[0].wrangler[0].binding`).
 */
export interface ConfigLabels {
  config: string
  binding: string
}
export const INPUT_LABELS: ConfigLabels = { config: "Input 'wrangler-config'", binding: "Input 'wrangler-config'" }

/** A configuration's text as Wrangler reads it, by its name: TOML for .toml, JSON (with comments) otherwise. */
export const parseConfig = (config: string, text: string): ConfigDocument =>
  config.toLowerCase().endsWith('.toml') ? wranglerParsers().readToml(text) : wranglerParsers().readJson(text)

/** One configuration file, read and checked: what planBindingEdits needs. */
export interface LoadedConfig extends ConfigEncoding {
  target: BindingTarget
  /** Where it is on disk. */
  fullPath: string
  /** Its text as read, without a byte order mark: compared again before it is written. */
  text: string
  document: ConfigDocument
  /** The entries with the target's binding: at the top level and in the environments that have one. */
  entries: CertificateEntry[]
}

export type LoadedConfigs = LoadedConfig[]

/** Reads and checks every target; the first problem found is thrown. */
export function loadBindings(workspace: string, targets: readonly BindingTarget[]): LoadedConfigs {
  return targets.map((target) => loadBinding(workspace, target))
}

/** One target, read and checked; the problem is thrown, named by `labels`. */
export function loadBinding(workspace: string, target: BindingTarget, labels = INPUT_LABELS): LoadedConfig {
  const what = labels.config
  const fullPath = pathInWorkspace({ label: what, relativeTo: 'the repository root' }, target.config, workspace)
  const shown = `'${printable(target.config)}'`
  const { text, ...encoding } = readConfig(what, target.config, fullPath)
  let document: ConfigDocument
  try {
    document = parseConfig(target.config, text)
  } catch (error) {
    if (error instanceof DuplicateKeyError) {
      throw new InputError(
        `${what}: ${shown} line ${error.line}: "${printable(error.key)}" is written twice (also on line ${error.firstLine}) in ${printable(pathText(error.path.slice(0, -1)))}, and wrangler reads only the last one: remove the one that is out of date, so that the file says one thing.`,
      )
    }
    if (!(error instanceof ConfigSyntaxError)) throw error
    throw new InputError(
      `${what}: ${shown} cannot be parsed, line ${error.line}, column ${error.column}: ${printable(error.message)}. Fix the file so that wrangler can read it.`,
    )
  }
  if (!isRecord(document.value)) throw new InputError(`${what}: ${shown} does not hold a configuration object.`)
  const entries = document.entries.filter((entry) => entry.binding === target.binding)
  if (entries.length === 0) {
    throw new InputError(missingBinding(labels.binding, shown, target.binding, document.entries))
  }
  return { target, fullPath, text, ...encoding, document, entries }
}

function missingBinding(what: string, shown: string, binding: string, entries: readonly CertificateEntry[]): string {
  const found = entries.flatMap((entry) =>
    entry.binding === undefined ? [] : [`${printable(entry.binding)} (${printable(sectionOf(entry.path))})`],
  )
  const has = found.length > 0 ? `it has ${[...new Set(found)].join(', ')}` : 'it has no mtls_certificates bindings'
  return `${what}: ${shown} has no mtls_certificates entry with binding = "${binding}", at the top level or in any env.<name>: ${has}. Check binding:, or add the entry to the file (mtls_certificates is not inherited by environments).`
}

function readConfig(what: string, config: string, fullPath: string): ConfigEncoding & { text: string } {
  const shown = `'${printable(config)}'`
  let size: number
  try {
    const stats = statSync(fullPath)
    if (!stats.isFile())
      throw new InputError(`${what}: ${shown} is not a regular file: give the path of the file itself.`)
    size = stats.size
  } catch (error) {
    if (error instanceof InputError) throw error
    const code = errorCode(error) || 'error'
    throw new InputError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `${what}: file ${shown} does not exist. Check the path, relative to the repository root, and that the workflow checks the repository out (actions/checkout) before this step.`
        : `${what}: ${shown} cannot be read (${code}). Check the file's permissions.`,
    )
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new InputError(`${what}: ${shown} is larger than 1 MiB: check that it is the Wrangler configuration.`)
  }
  let bytes: Buffer
  try {
    bytes = readFileSync(fullPath)
  } catch (error) {
    throw new InputError(
      `${what}: ${shown} cannot be read (${errorCode(error) || 'error'}). Check the file's permissions.`,
    )
  }
  if (hasWideBom(bytes)) {
    throw new InputError(
      `${what}: ${shown} is saved as UTF-16 or UTF-32, which wrangler does not read: save it as UTF-8.`,
    )
  }
  return decodeConfig(bytes)
}

/** `mtls_certificates[0]`, `env.production`, or `the top level` for the root. */
const pathText = (path: readonly (string | number)[]): string =>
  path.length === 0
    ? 'the top level'
    : path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('')
