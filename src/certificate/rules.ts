import { capitalise } from '../core/text.ts'
import { CERTIFICATE_FIELDS, type CertificateField, type CertificateFieldKey } from './fields.ts'
import type { StoreName } from './spec.ts'

/**
 * The rules between a certificate's fields, each written once with its message, for both readers:
 * the step's inputs and a manifest's entries. They read only which fields are set, so they run before
 * any file is read or anything is sent, and every one broken is reported at once.
 */

/** What the rules read of one certificate's fields. */
export interface GivenFields {
  /** The fields set (to something not blank), by manifest key, each with the input or key that set it. */
  set: Partial<Record<CertificateFieldKey, string>>
  /** Undefined when it is not a boolean (a problem of its own): the rules that need it wait. */
  ca: boolean | undefined
  allowMissingKey: boolean
  replace: boolean
  /** Where it is kept (`mtls` when not set); undefined when it is not one of the stores (a problem of its own). */
  store: StoreName | undefined
}

/** How a reader names a field in its messages. */
export interface FieldNames {
  /** How a message about the field starts: `Input 'private-key'`, or `certificates.yml:8: certificates[0].private-key-env:`. */
  label: (field: CertificateFieldKey) => string
  /** What the user sets: `private-key` or `private-key-env`. */
  name: (field: CertificateFieldKey) => string
  /** Said after "is not set": why a value set from an expression can read as empty (the inputs' note), or ''. */
  unsetNote: string
}

/** How the step's inputs name a field: by the input that set it, or the field's first input. */
export function inputNames(set: GivenFields['set'], unsetNote: string): FieldNames {
  const name = (field: CertificateFieldKey): string => {
    const row: CertificateField = CERTIFICATE_FIELDS[field]
    return set[field] ?? row.inputs[0] ?? field
  }
  return { label: (field) => `Input '${name(field)}'`, name, unsetNote }
}

/** The message of each rule the fields break, in the order of the fields; none when they keep them all. */
export function certificateRules(given: GivenFields, names: FieldNames): string[] {
  const errors: string[] = []
  const { set, ca } = given
  const { label, name } = names
  const note = names.unsetNote ? ` ${names.unsetNote}` : ''
  const keyField = set['private-key-env'] ? 'private-key-env' : 'private-key-path'
  const hasKey = Boolean(set['private-key-env'] ?? set['private-key-path'])
  const setKeys = `set ${name('private-key-env')} or ${name('private-key-path')}`

  if (set['private-key-env'] && set['private-key-path']) {
    errors.push(
      `${label('private-key-path')} is set with ${name('private-key-env')}: give the key once, preferably in ${name('private-key-env')}, from a secret.`,
    )
  }
  // The other stores have rules of their own (storeRules, below); those after it are the account store's.
  if (given.store !== 'mtls') {
    if (given.store !== undefined) errors.push(...storeRules(given, names, given.store))
    return errors
  }
  if (set['private-key-passphrase-env'] && !hasKey) {
    errors.push(
      `${label('private-key-passphrase-env')} is set but no private key is: ${setKeys} to the encrypted key it decrypts, or remove it.`,
    )
  }
  if (set.swap) {
    errors.push(
      `${label('swap')} is only for store: access: it moves an Access CA's hostnames that Cloudflare will not give two CAs at once. Remove it.`,
    )
  }
  if (ca === true && hasKey) {
    errors.push(
      `${label(keyField)} is set with ca: true: a CA certificate is uploaded without its private key. Remove it, or set ca: false if this is a client certificate.`,
    )
  }
  if (ca === false && !hasKey && !given.allowMissingKey) {
    errors.push(
      `${label('private-key-env')} is empty or not set, and ca: false uploads a client certificate, which is used with its key (Workers mTLS bindings need it). ${capitalise(setKeys)}; a secret that is not set, or misspelled, reads as empty, and a run from a fork gets no secrets. To upload this certificate without its key on purpose, set ${name('allow-missing-key')}: true.`,
    )
  }
  if (set.name === undefined && given.replace) {
    errors.push(
      `${label('replace')} needs ${name('name')}: replace deletes the older certificates with the same name, so set ${name('name')} to the label this certificate rotates under.`,
    )
  }
  apiShieldRules(given, names, note, errors)
  if (set.wrangler && ca === true) {
    errors.push(
      `${label('wrangler')} is only for a client certificate (ca: false): a Worker's mtls_certificates binding presents a client certificate with its private key. Remove it, or set ca: false if this is the client certificate.`,
    )
  } else if (set.wrangler && !hasKey) {
    errors.push(
      `${label('wrangler')} needs the certificate's private key: a Worker's binding presents the certificate with its key, so Cloudflare must hold both. ${capitalise(setKeys)}, and remove ${name('allow-missing-key')}.`,
    )
  }
  return errors
}

/** API Shield: zone-id and hostnames together, and only for a CA. */
function apiShieldRules({ set, ca }: GivenFields, { label, name }: FieldNames, note: string, errors: string[]): void {
  const zone = set['zone-id']
  const hostnames = set.hostnames
  if (!zone && !hostnames) return
  if (ca === false) {
    errors.push(
      `${label(zone ? 'zone-id' : 'hostnames')} is only for a CA certificate (ca: true): API Shield checks the client certificates presented to a zone's hostnames against the CAs associated with them. Remove ${name('zone-id')} and ${name('hostnames')}, or set ca: true if this is the CA.`,
    )
  } else if (!hostnames) {
    errors.push(
      `${label('zone-id')} needs ${name('hostnames')}, which is not set: set it to the zone's hostnames whose client certificates this CA verifies.${note}`,
    )
  } else if (!zone) {
    errors.push(
      `${label('hostnames')} needs ${name('zone-id')}, which is not set: set it to the ID of the zone they belong to (32 hex characters, on the zone's Overview page).${note}`,
    )
  }
}

/*
 * The rules of the stores beside the account's: Access holds CAs for hostnames, origin pulls hold a
 * client certificate with its key for a zone. A field that means nothing for the store is refused,
 * naming the store.
 */

/** What each store is for, said after a field it has no use for. */
const PURPOSE: Record<Exclude<StoreName, 'mtls'>, string> = {
  access: 'an Access CA is uploaded without a key, and Access checks client certificates against it for its hostnames',
  'origin-pull':
    'an origin pull certificate is presented by Cloudflare to the origin of zone-id; it is not bound to Workers and moves no Access hostnames',
}

/** Fields each store has no use for. */
const UNUSED: Record<Exclude<StoreName, 'mtls'>, readonly CertificateFieldKey[]> = {
  access: ['private-key-env', 'private-key-path', 'private-key-passphrase-env', 'wrangler'],
  'origin-pull': ['wrangler', 'swap'],
}

function storeRules(given: GivenFields, names: FieldNames, store: Exclude<StoreName, 'mtls'>): string[] {
  const { set, ca } = given
  const { label, name } = names
  const errors: string[] = []
  for (const field of UNUSED[store]) {
    if (set[field]) errors.push(`${label(field)} is not used with store: ${store}: ${PURPOSE[store]}. Remove it.`)
  }
  if (given.allowMissingKey) {
    errors.push(
      `${label('allow-missing-key')} is not used with store: ${store}: ${store === 'access' ? 'an Access CA never has a key' : 'Cloudflare presents the certificate with its key, so the key is required'}. Remove it.`,
    )
  }
  if (store === 'access') {
    if (ca === false)
      errors.push(
        `${label('ca')} is false, but store: access holds CA certificates, which Access checks client certificates against. Remove ca (or set it true) if this is the CA; a client certificate goes to store: mtls or origin-pull.`,
      )
    if (set.name === undefined)
      errors.push(
        `${label('name')} is needed with store: access: Cloudflare names every Access certificate, and a rotation finds the CA it replaces by it.`,
      )
    return errors
  }
  if (ca === true)
    errors.push(
      `${label('ca')} is true, but store: origin-pull holds the client certificate (a leaf, with its key) that Cloudflare presents to the origin. Remove ca (or set it false); a CA goes to store: mtls or access.`,
    )
  if (!set['private-key-env'] && !set['private-key-path'])
    errors.push(
      `${label('private-key-env')} is not set, and store: origin-pull uploads the client certificate with its key: Cloudflare presents both to the origin. Set ${name('private-key-env')} or ${name('private-key-path')}; a secret that is not set, or misspelled, reads as empty.`,
    )
  if (!set['zone-id'])
    errors.push(
      `${label('zone-id')} is needed with store: origin-pull: Authenticated Origin Pulls certificates belong to a zone. Set it to the zone's ID (32 hex characters, on the zone's Overview page).`,
    )
  return errors
}
