import type { Node } from 'yaml'
import { registerPemSecrets, registerSecret } from '../action/secrets.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import {
  KeyMismatchError,
  STORE_NAMES,
  type CertificateSpec,
  type PemInput,
  type StoreName,
} from '../certificate/spec.ts'
import { isCertificateName } from '../cloudflare/values.ts'
import { CERTIFICATE_FIELD_KEYS } from '../certificate/fields.ts'
import { certificateRules, type GivenFields } from '../certificate/rules.ts'
import { checkAndMask } from '../spec/check.ts'
import { Problems, knownFields, shown, valueOf } from './document.ts'
import { ENTRY_FIELDS, REQUIRED_ENTRY_FIELDS, type EntryField, type Fields } from './fields.ts'
import { fieldLabel, readManifestPath, readVariable, type ManifestContext } from './sources.ts'
import { readApiShield, readBindings, type SeenBindings } from './targets.ts'
import { readUses } from './target-fields.ts'
import { readStoreScope, type SeenStoreClaims } from './store-scope.ts'

/** The certificate's fields the entry sets, by key; its booleans are read by value. */
function fieldsSet(fields: Fields): GivenFields['set'] {
  const set: GivenFields['set'] = {}
  for (const key of CERTIFICATE_FIELD_KEYS) if (fields[key] && ENTRY_FIELDS[key] !== 'boolean') set[key] = key
  return set
}

/** One entry of the manifest, checked: what the upload step does with it. */
export interface ManifestEntry {
  name: string
  /** The line of the manifest the entry starts on. */
  line: number
  spec: CertificateSpec
  /** The local checks' result, so that the step need not parse the PEM again. */
  checked: CheckedCertificate
}

/** Checks one entry, adding every problem; the entry, or undefined when it has any. */
export function checkEntry(
  node: Node,
  index: number,
  context: ManifestContext,
  problems: Problems,
  seen: { names: Map<string, number>; bindings: SeenBindings; stores: SeenStoreClaims },
): ManifestEntry | undefined {
  const path = `certificates[${index}]`
  const before = problems.list.length
  // The certificate's fields, and those the targets declare (certificate/fields.ts TargetField).
  const targetFields = context.targetFields ?? []
  const known = { ...ENTRY_FIELDS, ...Object.fromEntries(targetFields.map((t) => [t.key, 'configs'])) }
  const all = knownFields(node, known, REQUIRED_ENTRY_FIELDS, path, problems)
  if (!all) return undefined
  const fields = all as Fields
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
    const first = seen.names.get(name)
    if (first === undefined) seen.names.set(name, problems.lineOf(at('name')))
    else
      problems.add(
        at('name'),
        field('name'),
        `'${name}' is already the name of the entry on line ${first}: names must be unique`,
      )
  }
  const store = readStore(read('store', 'string'), at('store'), field('store'), problems)
  // Access holds CAs and origin pulls leaves: `ca` may be left out for them; the account store needs it.
  const givenCa = read('ca', 'boolean')
  if (!fields.ca && store === 'mtls') problems.add(node, field('ca'), 'is required')
  const ca = givenCa ?? (store === 'access' ? true : store === 'origin-pull' ? false : undefined)
  const certificatePath = read('certificate', 'string')
  const certificateText =
    certificatePath === undefined
      ? undefined
      : readManifestPath(certificatePath, at('certificate'), field('certificate'), context, problems)

  const keyEnv = read('private-key-env', 'string')
  const keyPath = read('private-key-path', 'string')
  const passphraseEnv = read('private-key-passphrase-env', 'string')
  const allowMissingKey = read('allow-missing-key', 'boolean') ?? false
  // Every rule between the fields (certificate/rules.ts), each problem on the line of the field it names.
  const given: GivenFields = {
    // A missing name is said once, as required: the rules that need one (replace, Access) say no more.
    set: { name: 'name', ...fieldsSet(fields) },
    ca,
    allowMissingKey,
    replace: read('replace', 'boolean') ?? false,
    store,
  }
  const label = (key: EntryField): string => `${fieldLabel(problems, at(key) ?? node, field(key))}:`
  problems.list.push(...certificateRules(given, { label, name: (key) => key, unsetNote: '' }))
  const replace = read('replace', 'boolean') ?? context.replace

  let privateKey: PemInput | undefined
  if (keyEnv !== undefined && keyPath === undefined) {
    const text = readVariable(keyEnv, at('private-key-env'), field('private-key-env'), context, problems)
    if (text !== undefined) privateKey = { text, input: 'private-key-env', path: keyEnv }
  } else if (keyPath !== undefined && keyEnv === undefined) {
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
  const hasKey = keyEnv !== undefined || keyPath !== undefined
  const apiShield = store === 'mtls' ? readApiShield(fields, ca, path, problems) : undefined
  const storeScope =
    store !== 'mtls' && store !== undefined ? readStoreScope(fields, store, path, problems, seen.stores) : undefined
  const wrangler =
    store === 'mtls'
      ? readBindings(fields.wrangler, ca, hasKey, { path, entry: index }, context, problems, seen.bindings)
      : undefined
  const uses = readUses(targetFields, all, { ca, hasKey, store }, path, problems)

  if (
    problems.list.length > before ||
    name === undefined ||
    ca === undefined ||
    store === undefined ||
    certificateText === undefined
  ) {
    return undefined
  }
  const spec: CertificateSpec = {
    ...(store === 'mtls' ? {} : { store }),
    ...(storeScope ? { storeScope } : {}),
    certificate: { text: certificateText, input: 'certificate', path: certificatePath as string },
    ca,
    allowMissingKey,
    name,
    replace,
  }
  // A fork's pull request: the key's (or its passphrase's) variable reads empty; the key's checks wait.
  const withheld = context.secretsUnavailable && hasKey && (passphraseEnv !== undefined ? !passphrase : !privateKey)
  if (withheld) spec.keyUnavailable = true
  else if (privateKey) spec.privateKey = privateKey
  if (passphrase) spec.privateKeyPassphrase = passphrase
  if (apiShield) spec.apiShield = apiShield
  if (wrangler) spec.wrangler = wrangler
  if (Object.keys(uses).length > 0) spec.uses = uses
  // A key that fits no certificate is the key's line: after a renewal, its secret is what is stale.
  const keyField: EntryField = keyEnv !== undefined ? 'private-key-env' : 'private-key-path'
  const checked = problems.collect(node, path, () => {
    try {
      return checkAndMask(spec, context)
    } catch (error) {
      if (!(error instanceof KeyMismatchError)) throw error
      problems.add(at(keyField), field(keyField), error.message)
      return undefined
    }
  })
  return checked && { name, line: problems.lineOf(node), spec, checked }
}

/** The entry's store: `mtls` when not set; undefined, with a problem, for a name that is none. */
function readStore(
  value: string | undefined,
  at: Node | null,
  field: string,
  problems: Problems,
): StoreName | undefined {
  if (value === undefined) return 'mtls'
  const store = STORE_NAMES.find((name) => name === value)
  if (!store) problems.add(at, field, `must be one of ${STORE_NAMES.join(', ')}, got '${shown(value)}'`)
  return store
}
