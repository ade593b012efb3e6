import { isMap, type Node } from 'yaml'
import { parseHostnames, parseZoneId } from '../api-shield/settings.ts'
import { registerPemSecrets, registerSecret } from '../action/secrets.ts'
import { checkCertificate, type CheckedCertificate } from '../certificate/check.ts'
import type { BindingTarget, CertificateSpec, PemInput } from '../certificate/spec.ts'
import { isCertificateName } from '../cloudflare/values.ts'
import { Problems, listOf, pairsOf, valueOf } from './document.ts'
import {
  BINDING_FIELDS,
  BINDING_NAME,
  ENTRY_FIELDS,
  REQUIRED_BINDING_FIELDS,
  REQUIRED_ENTRY_FIELDS,
  type EntryField,
} from './fields.ts'
import { readManifestPath, readVariable, workspacePath, type ManifestContext } from './sources.ts'

/** One entry of the manifest, checked: what the upload step does with it. */
export interface ManifestEntry {
  name: string
  /** The line of the manifest the entry starts on. */
  line: number
  spec: CertificateSpec
  /** The local checks' result, so that the step need not parse the PEM again. */
  checked: CheckedCertificate
}

type Fields = Partial<Record<EntryField, { key: Node | null; value: Node | null }>>

/** The fields of a map, each known field once; an unknown one is a problem. */
function knownFields<K extends string>(
  node: Node,
  known: Record<K, unknown>,
  required: readonly K[],
  path: string,
  problems: Problems,
): Partial<Record<K, { key: Node | null; value: Node | null }>> | undefined {
  if (!isMap(node)) {
    problems.add(node, path, 'must be a map of fields')
    return undefined
  }
  const fields: Partial<Record<K, { key: Node | null; value: Node | null }>> = {}
  for (const [name, key, value] of pairsOf(node, path, problems)) {
    if (name in known) fields[name as K] = { key, value }
    else
      problems.add(key, path, `unknown field '${name.slice(0, 40)}' (the fields are: ${Object.keys(known).join(', ')})`)
  }
  for (const name of required) if (!fields[name]) problems.add(node, `${path}.${name}`, 'is required')
  return fields
}

/** Checks one entry, adding every problem; the entry, or undefined when it has any. */
export function checkEntry(
  node: Node,
  index: number,
  context: ManifestContext,
  problems: Problems,
  names: Map<string, number>,
): ManifestEntry | undefined {
  const path = `certificates[${index}]`
  const before = problems.list.length
  const fields: Fields | undefined = knownFields(node, ENTRY_FIELDS, REQUIRED_ENTRY_FIELDS, path, problems)
  if (!fields) return undefined
  const field = (name: EntryField) => `${path}.${name}`
  const at = (name: EntryField): Node | null => fields[name]?.value ?? fields[name]?.key ?? null
  const read = <T extends 'string' | 'boolean'>(name: EntryField, type: T) => {
    const given = fields[name]
    if (!given) return undefined
    return valueOf(type, given.value, field(name), problems, at(name)) as
      (T extends 'string' ? string : boolean) | undefined
  }

  const name = read('name', 'string')
  if (name !== undefined && !isCertificateName(name)) {
    problems.add(
      at('name'),
      field('name'),
      'must be a single line of at most 200 characters: the label in the Cloudflare dashboard',
    )
  } else if (name !== undefined) {
    const first = names.get(name)
    if (first === undefined) names.set(name, problems.lineOf(at('name')))
    else
      problems.add(
        at('name'),
        field('name'),
        `'${name}' is already the name of the entry on line ${first}: names must be unique`,
      )
  }
  const ca = read('ca', 'boolean')
  const certificatePath = read('certificate', 'string')
  const certificateText =
    certificatePath === undefined
      ? undefined
      : readManifestPath(certificatePath, at('certificate'), field('certificate'), context, problems)

  const keyEnv = read('private-key-env', 'string')
  const keyPath = read('private-key-path', 'string')
  const passphraseEnv = read('private-key-passphrase-env', 'string')
  if (keyEnv !== undefined && keyPath !== undefined) {
    problems.add(
      at('private-key-path'),
      field('private-key-path'),
      'is set with private-key-env: give the key once, preferably in private-key-env',
    )
  }
  if (ca === true && (keyEnv !== undefined || keyPath !== undefined)) {
    const which = keyEnv !== undefined ? 'private-key-env' : 'private-key-path'
    problems.add(
      at(which),
      field(which),
      'is set with ca: true: a CA certificate is uploaded without its private key. Remove it, or set ca: false',
    )
  }
  let privateKey: PemInput | undefined
  if (keyEnv !== undefined) {
    const text = readVariable(keyEnv, at('private-key-env'), field('private-key-env'), context, problems)
    if (text !== undefined) privateKey = { text, input: 'private-key-env', path: keyEnv }
  } else if (keyPath !== undefined) {
    const text = readManifestPath(keyPath, at('private-key-path'), field('private-key-path'), context, problems)
    if (text !== undefined) privateKey = { text, input: 'private-key-path', path: keyPath }
  }
  // Before anything parses them: a key pasted into the certificate's file is a secret too.
  registerPemSecrets(certificateText ?? '', privateKey?.text)
  const passphrase =
    passphraseEnv === undefined
      ? undefined
      : readVariable(
          passphraseEnv,
          at('private-key-passphrase-env'),
          field('private-key-passphrase-env'),
          context,
          problems,
        )
  registerSecret(passphrase)
  if (passphraseEnv !== undefined && keyEnv === undefined && keyPath === undefined) {
    problems.add(
      at('private-key-passphrase-env'),
      field('private-key-passphrase-env'),
      'is set but no private key is: set private-key-env or private-key-path',
    )
  }

  const allowMissingKey = read('allow-missing-key', 'boolean') ?? false
  const replace = read('replace', 'boolean') ?? context.replace
  const hasKey = keyEnv !== undefined || keyPath !== undefined
  if (ca === false && !hasKey && !allowMissingKey) {
    problems.add(
      node,
      path,
      'a client certificate (ca: false) is used with its key: set private-key-env to the variable that holds it, or private-key-path; to upload it without its key on purpose, set allow-missing-key: true',
    )
  }
  const apiShield = readApiShield(fields, ca, path, problems)
  const wrangler = readBindings(fields.wrangler, ca, hasKey, path, context, problems)

  if (problems.list.length > before || name === undefined || ca === undefined || certificateText === undefined) {
    return undefined
  }
  const spec: CertificateSpec = {
    certificate: { text: certificateText, input: 'certificate', path: certificatePath as string },
    ca,
    allowMissingKey,
    name,
    replace,
  }
  if (privateKey) spec.privateKey = privateKey
  if (passphrase) spec.privateKeyPassphrase = passphrase
  if (apiShield) spec.apiShield = apiShield
  if (wrangler) spec.wrangler = wrangler
  const checked = problems.collect(node, path, () => checkCertificate(spec, context))
  return checked && { name, line: problems.lineOf(node), spec, checked }
}

function readApiShield(
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

function readBindings(
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
