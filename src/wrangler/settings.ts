import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../core/errors.ts'
import { pathInWorkspace } from '../core/workspace-path.ts'
import { printable } from '../core/text.ts'
import type { InputSource } from '../action/input-source.ts'
import type { BindingTarget } from '../certificate/spec.ts'
import { loadBindings } from './config.ts'

/** The extensions of the configuration files Wrangler reads. */
export const CONFIG_EXTENSIONS = ['.toml', '.json', '.jsonc'] as const

/**
 * A binding name, as Wrangler takes it: the name of a property on the Worker's `env`, written as a
 * JavaScript identifier (`PAYMENTS_CERT`).
 */
export const isBindingName = (name: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)
const MAX_CONFIGS = 20

/**
 * `wrangler-config` and `binding`: the Wrangler configuration files that deploy with the certificate,
 * and the name of its binding in them, which come together. That they are only for a client
 * certificate with its key is a rule of certificate/rules.ts, checked before. Undefined when neither
 * is set. Each file is checked as loadBindings checks it, so that a wrong one fails the step before
 * anything is sent.
 */
export function getWranglerTargets(source: InputSource, workspace: string): BindingTarget[] | undefined {
  const configs = source
    .input('wrangler-config')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  const binding = source.input('binding').trim()
  if (configs.length === 0 && !binding) return undefined
  if (!binding) {
    throw new InputError(
      "Input 'wrangler-config' needs 'binding': set binding: to the name of the mtls_certificates binding in it (for example PAYMENTS_CERT).",
    )
  }
  if (configs.length === 0) {
    throw new InputError(
      "Input 'binding' needs 'wrangler-config': set wrangler-config: to the Wrangler configuration file that declares it (for example wrangler.toml or wrangler.jsonc), one path per line.",
    )
  }
  if (!isBindingName(binding)) {
    throw new InputError(
      `Input 'binding': '${printable(binding)}' is not a binding name. Wrangler binding names are JavaScript identifiers (letters, digits, _ and $, not starting with a digit), as in PAYMENTS_CERT.`,
    )
  }
  if (configs.length > MAX_CONFIGS) {
    throw new InputError(`Input 'wrangler-config' lists ${configs.length} files: give at most ${MAX_CONFIGS}.`)
  }
  const targets = [...new Set(configs)].map((config) => ({ config: checkedConfigPath(config, workspace), binding }))
  refuseSameFile(
    targets.map((target) => target.config),
    workspace,
  )
  // Each file exists, parses and has the binding, before any request; it is read again to be edited.
  loadBindings(workspace, targets)
  return targets
}

/**
 * Two lines that reach one file (through a symbolic link, or `a/../`): its id would be written twice,
 * and the second write would find the file changed. Compared by the real path.
 */
function refuseSameFile(configs: readonly string[], workspace: string): void {
  const seen = new Map<string, string>()
  for (const config of configs) {
    let real: string
    try {
      real = realpathSync(join(workspace, config))
    } catch {
      continue // loadBindings says why it cannot be read
    }
    const first = seen.get(real)
    if (first !== undefined) {
      throw new InputError(
        `Input 'wrangler-config' lists '${printable(first)}' and '${printable(config)}', which are the same file (through a symbolic link or ..): list it once.`,
      )
    }
    seen.set(real, config)
  }
}

/** The path as the user wrote it, once it is known to be a Wrangler configuration inside the workspace. */
function checkedConfigPath(config: string, workspace: string): string {
  const what = "Input 'wrangler-config'"
  checkConfigExtension(what, config)
  pathInWorkspace({ label: what, relativeTo: 'the repository root' }, config, workspace)
  return config
}

/** Throws unless the name is one Wrangler reads a configuration from; `label` names the input or field. */
export function checkConfigExtension(label: string, config: string): void {
  if (!CONFIG_EXTENSIONS.some((extension) => config.toLowerCase().endsWith(extension))) {
    throw new InputError(
      `${label}: '${printable(config)}' is not a Wrangler configuration file: give a wrangler.toml, wrangler.json or wrangler.jsonc (the name must end in .toml, .json or .jsonc).`,
    )
  }
}
