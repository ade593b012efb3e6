import { realpathSync } from 'node:fs'
import { join } from 'node:path'
import type { Node } from 'yaml'
import { parseHostnames, parseZoneId } from '../api-shield/settings.ts'
import { SWAP_CHOICES, type BindingTarget, type CertificateSpec, type StoreScope } from '../certificate/spec.ts'
import { Problems, knownFields, listOf, shown, valueOf } from './document.ts'
import { loadBinding } from '../wrangler/config.ts'
import { isBindingName } from '../wrangler/settings.ts'
import { BINDING_FIELDS, REQUIRED_BINDING_FIELDS, type EntryField } from './fields.ts'
import { fieldLabel, fileProblem, workspacePath, type ManifestContext } from './sources.ts'

/** What an entry's certificate goes onto: API Shield hostnames (a CA), Worker bindings (a leaf). */

export type Fields = Partial<Record<EntryField, { key: Node | null; value: Node | null }>>

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

/** Access and origin pulls: the zone (for origin pulls required, by the rules), the hostnames, the swap. */
export function readStoreScope(fields: Fields, path: string, problems: Problems): StoreScope | undefined {
  const before = problems.list.length
  const { zoneId, hostnames } = readZoneAndHostnames(fields, path, problems)
  const swapField = fields.swap
  const swap =
    swapField && valueOf('string', swapField.value, `${path}.swap`, problems, swapField.value ?? swapField.key)
  if (typeof swap === 'string' && !(SWAP_CHOICES as readonly string[]).includes(swap))
    problems.add(swapField?.value ?? null, `${path}.swap`, `must be ${SWAP_CHOICES.join(' or ')}, got '${shown(swap)}'`)
  if (problems.list.length > before) return undefined
  return {
    hostnames: hostnames ?? [],
    ...(zoneId ? { zoneId } : {}),
    ...(swap === 'detach-first' ? { swap } : {}),
  }
}

/** `zone-id` and `hostnames`, each read and checked where set. */
function readZoneAndHostnames(
  fields: Fields,
  path: string,
  problems: Problems,
): { zoneId?: string | undefined; hostnames?: string[] | undefined } {
  const zone = fields['zone-id']
  const hosts = fields.hostnames
  const zoneText = zone && valueOf('string', zone.value, `${path}.zone-id`, problems, zone.value ?? zone.key)
  const zoneId =
    typeof zoneText === 'string'
      ? problems.collect(zone?.value ?? null, `${path}.zone-id`, () => parseZoneId(zoneText))
      : undefined
  if (!hosts) return { zoneId }
  const items = listOf(hosts.value, 'string-list', `${path}.hostnames`, problems, hosts.value ?? hosts.key)
  const names: string[] = []
  items?.forEach((item, index) => {
    const text = valueOf('string', item, `${path}.hostnames[${index}]`, problems)
    if (typeof text === 'string') names.push(text)
  })
  const hostnames =
    items && names.length === items.length
      ? problems.collect(hosts.value, `${path}.hostnames`, () => parseHostnames(names.join('\n')))
      : undefined
  return { zoneId, hostnames }
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

/** What each Access or origin pull entry so far holds (a hostname, or a zone's zone-level certificate), with its line. */
export type SeenStoreClaims = Map<string, number>

/**
 * Access gives a hostname one CA, and origin pulls one certificate (per hostname, or the zone's): two
 * entries claiming the same would take it from each other on every run, and a zone-level rotation
 * retires the zone's other certificates. Refused, naming both lines.
 */
export function claimStoreScope(
  store: 'access' | 'origin-pull',
  scope: StoreScope,
  at: { node: Node | null; path: string },
  problems: Problems,
  seen: SeenStoreClaims,
): void {
  const where = scope.zoneId ?? 'account'
  const claims =
    store === 'origin-pull' && scope.hostnames.length === 0
      ? [{ key: `${store} ${where} zone-level`, what: `the zone-level origin pull certificate of zone ${where}` }]
      : scope.hostnames.map((hostname) => ({
          key: `${store} ${where} ${hostname}`,
          what:
            store === 'access'
              ? `${hostname} (an Access hostname has one CA)`
              : `${hostname} (a hostname presents one origin pull certificate)`,
        }))
  const line = problems.lineOf(at.node)
  for (const { key, what } of claims) {
    const first = seen.get(key)
    if (first === undefined) seen.set(key, line)
    else
      problems.add(
        at.node,
        at.path,
        `claims ${what}, as the entry on line ${first} does: the two would take it from each other on every run. Keep it in one entry`,
      )
  }
}
