import { capitalise } from '../core/text.ts'
import { CERTIFICATE_FIELDS, type CertificateField, type CertificateFieldKey } from './fields.ts'

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
  if (ca === true && hasKey) {
    errors.push(
      `${label(keyField)} is set with ca: true: a CA certificate is uploaded without its private key. Remove it, or set ca: false if this is a client certificate.`,
    )
  }
  if (set['private-key-passphrase-env'] && !hasKey) {
    errors.push(
      `${label('private-key-passphrase-env')} is set but no private key is: ${setKeys} to the encrypted key it decrypts, or remove it.`,
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
