import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import type { BindingTarget, CertificateSpec } from '../certificate/spec.ts'
import { Problems, knownFields, listOf, shown, valueOf } from './document.ts'
import { loadBinding } from '../wrangler/config.ts'
import { isBindingName } from '../wrangler/settings.ts'
import { BINDING_FIELDS, REQUIRED_BINDING_FIELDS, type Fields } from './fields.ts'
import { fieldLabel, fileProblem, workspacePath, type ManifestContext } from './sources.ts'
import { readZoneAndHostnames } from './store-scope.ts'

/** What an entry's certificate goes onto: API Shield hostnames (a CA), Worker bindings (a leaf). */

/** Each Wrangler file and binding the manifest lists so far, with the line and entry that list it. */
export type SeenBindings = Map<string, { line: number; entry: number; config: string }>

export function readApiShield(
  fields: Fields,
  ca: boolean | undefined,
  path: string,
  problems: Problems,
): CertificateSpec['apiShield'] {
  // Only for a CA, and both together: certificate/rules.ts says so, on the entry's rules.
  if (ca === false || !fields['zone-id'] || !fields.hostnames) return undefined
  const { zoneId, hostnames } = readZoneAndHostnames(fields, path, problems)
  return zoneId && hostnames ? { zoneId, hostnames } : undefined
}

/**
 * The entry's Wrangler bindings, each file read and checked as the step will read it (it parses, and
 * has the binding) before anything is sent. A file's binding holds one id: listed by two entries, it
 * would flip between their certificates on every run, so it is refused, naming both lines.
 */
export function readBindings(
  given: Fields['wrangler'],
  ca: boolean | undefined,
  hasKey: boolean,
  { path, entry }: { path: string; entry: number },
  context: ManifestContext,
  problems: Problems,
  seen: SeenBindings,
): BindingTarget[] | undefined {
  if (!given) return undefined
  const field = `${path}.wrangler`
  // Only for a client certificate with its key: certificate/rules.ts says so, on the entry's rules.
  if (ca === true || !hasKey) return undefined
  const items = listOf(given.value, 'bindings', field, problems, given.value ?? given.key)
  if (!items) return undefined
  const targets: BindingTarget[] = []
  items.forEach((item, index) => {
    const itemPath = `${field}[${index}]`
    const fields = knownFields(item, BINDING_FIELDS, REQUIRED_BINDING_FIELDS, itemPath, problems)
    if (!fields) return
    const text = (name: 'config' | 'binding') => {
      const entry = fields[name]
      return entry && valueOf('string', entry.value, `${itemPath}.${name}`, problems, entry.value ?? entry.key)
    }
    const configText = text('config')
    const binding = text('binding')
    const config =
      typeof configText === 'string'
        ? workspacePath(configText, fields.config?.value ?? null, `${itemPath}.config`, context, problems)
        : undefined
    const bindingAt = fields.binding?.value ?? null
    if (typeof binding === 'string' && !isBindingName(binding)) {
      problems.add(
        bindingAt,
        `${itemPath}.binding`,
        `'${shown(binding)}' is not a binding name: letters, digits, _ and $, not starting with a digit (PAYMENTS_CERT)`,
      )
    } else if (config !== undefined && typeof binding === 'string') {
      // By the file's real path: through a symbolic link or `a/../`, it is still the one file.
      const key = `${realPath(join(context.workspace, config))}\n${binding}`
      const first = seen.get(key)
      const same = first && first.config !== config ? ` (the same file as ${first.config})` : ''
      if (first?.entry === entry) {
        problems.add(item, itemPath, `lists ${config}${same} and ${binding} a second time`)
      } else if (first) {
        problems.add(
          item,
          itemPath,
          `lists ${config}${same} and ${binding}, as the entry on line ${first.line} does: a binding holds one certificate's id, so two entries overwrite each other's on every run. Give each entry its own binding`,
        )
      } else {
        seen.set(key, { line: problems.lineOf(item), entry, config })
        const target = { config, binding }
        const labels = {
          config: fieldLabel(problems, fields.config?.value ?? null, `${itemPath}.config`),
          binding: fieldLabel(problems, bindingAt, `${itemPath}.binding`),
        }
        // Checked now, not first after the upload: the step reads it again to write the id.
        if (fileProblem(problems, () => loadBinding(context.workspace, target, labels))) targets.push(target)
      }
    }
  })
  return targets.length === items.length ? targets : undefined
}

/** The path with every link resolved; as given when it cannot be (the file's check reports why). */
function realPath(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}
