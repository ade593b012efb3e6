import type { Node } from 'yaml'
import { parseHostnames, parseZoneId } from '../api-shield/settings.ts'
import { SWAP_CHOICES, type StoreScope } from '../certificate/spec.ts'
import { Problems, listOf, shown, valueOf } from './document.ts'
import type { Fields } from './fields.ts'

/** Where an entry of Access or origin pulls is kept: `zone-id`, `hostnames` (API Shield reads these too) and `swap`. */

/**
 * Access and origin pulls: the zone (for origin pulls required, by the rules), the hostnames, the swap;
 * what it claims checked against the entries before it.
 */
export function readStoreScope(
  fields: Fields,
  store: 'access' | 'origin-pull',
  path: string,
  problems: Problems,
  seen: SeenStoreClaims,
): StoreScope | undefined {
  const before = problems.list.length
  const { zoneId, hostnames } = readZoneAndHostnames(fields, path, problems)
  const swapField = fields.swap
  const swap =
    swapField && valueOf('string', swapField.value, `${path}.swap`, problems, swapField.value ?? swapField.key)
  if (typeof swap === 'string' && !(SWAP_CHOICES as readonly string[]).includes(swap))
    problems.add(swapField?.value ?? null, `${path}.swap`, `must be ${SWAP_CHOICES.join(' or ')}, got '${shown(swap)}'`)
  if (problems.list.length > before) return undefined
  const scope: StoreScope = {
    hostnames: hostnames ?? [],
    ...(zoneId ? { zoneId } : {}),
    ...(swap === 'detach-first' ? { swap } : {}),
  }
  // A zone-level origin pull entry claims its zone: said on its zone-id line.
  const at = fields.hostnames
    ? { node: fields.hostnames.value, path: `${path}.hostnames` }
    : { node: fields['zone-id']?.value ?? null, path: `${path}.zone-id` }
  claimStoreScope(store, scope, at, problems, seen)
  return scope
}

/** `zone-id` and `hostnames`, each read and checked where set. */
export function readZoneAndHostnames(
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

/** What each Access or origin pull entry so far holds (a hostname, or a zone's zone-level certificate), with its line. */
export type SeenStoreClaims = Map<string, number>

/**
 * Access gives a hostname one CA, and origin pulls one certificate (per hostname, or the zone's): two
 * entries claiming the same would take it from each other on every run, and a zone-level rotation
 * retires the zone's other certificates. Refused, naming both lines.
 */
function claimStoreScope(
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
        `claims ${what}, as the entry on line ${first} does: the two take it from each other on every run. Keep it in one entry`,
      )
  }
}
