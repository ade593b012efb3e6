import type { Node } from 'yaml'
import { parseHostnames, parseZoneId } from '../api-shield/settings.ts'
import type { BindingTarget, CertificateSpec } from '../certificate/spec.ts'
import { Problems, knownFields, listOf, valueOf } from './document.ts'
import { BINDING_FIELDS, BINDING_NAME, REQUIRED_BINDING_FIELDS, type EntryField } from './fields.ts'
import { workspacePath, type ManifestContext } from './sources.ts'

/** What an entry's certificate goes onto: API Shield hostnames (a CA), Worker bindings (a leaf). */

export type Fields = Partial<Record<EntryField, { key: Node | null; value: Node | null }>>

export function readApiShield(
  fields: Fields,
  ca: boolean | undefined,
  path: string,
  problems: Problems,
): CertificateSpec['apiShield'] {
  const zone = fields['zone-id']
  const hosts = fields.hostnames
  if (!zone && !hosts) return undefined
  const where = (zone ?? hosts)?.key ?? null
  if (ca === false) {
    problems.add(
      where,
      `${path}.${zone ? 'zone-id' : 'hostnames'}`,
      "is only for a CA certificate (ca: true): API Shield checks the client certificates presented to a zone's hostnames against the CAs associated with them",
    )
    return undefined
  }
  if (!zone || !hosts) {
    problems.add(
      where,
      path,
      zone
        ? "zone-id needs hostnames: the zone's hostnames whose client certificates this CA verifies"
        : 'hostnames needs zone-id: the ID of the zone they belong to (32 hex characters)',
    )
    return undefined
  }
  const zoneText = valueOf('string', zone.value, `${path}.zone-id`, problems, zone.value ?? zone.key)
  const zoneId =
    typeof zoneText === 'string'
      ? problems.collect(zone.value, `${path}.zone-id`, () => parseZoneId(zoneText))
      : undefined
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
  return zoneId && hostnames ? { zoneId, hostnames } : undefined
}

export function readBindings(
  given: Fields['wrangler'],
  ca: boolean | undefined,
  hasKey: boolean,
  path: string,
  context: ManifestContext,
  problems: Problems,
): BindingTarget[] | undefined {
  if (!given) return undefined
  const field = `${path}.wrangler`
  if (ca === true || !hasKey) {
    problems.add(
      given.key,
      field,
      ca === true
        ? 'is only for a client certificate (ca: false): a Worker presents it, with its key'
        : "needs the certificate's key: a Worker presents the certificate with its key, so set private-key-env or private-key-path",
    )
    return undefined
  }
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
    if (typeof binding === 'string' && !BINDING_NAME.test(binding)) {
      problems.add(
        fields.binding?.value,
        `${itemPath}.binding`,
        `'${binding.slice(0, 40)}' is not a binding name: letters, digits, _ and $, not starting with a digit (PAYMENTS_CERT)`,
      )
    } else if (config !== undefined && typeof binding === 'string') {
      if (targets.some((t) => t.config === config && t.binding === binding)) {
        problems.add(item, itemPath, `lists ${config} and ${binding} a second time`)
      } else targets.push({ config, binding })
    }
  })
  return targets.length === items.length ? targets : undefined
}
