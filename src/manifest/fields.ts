/**
 * The manifest's fields, in one place: the checker reads them here, and tests hold
 * manifest.schema.json to them. An entry's are the certificate's fields (certificate/fields.ts).
 */

import type { Node } from 'yaml'
import { CERTIFICATE_FIELDS, CERTIFICATE_FIELD_KEYS, type FieldType } from '../certificate/fields.ts'

export type { FieldType } from '../certificate/fields.ts'

export const MANIFEST_FIELDS = { version: 'integer', certificates: 'entries' } as const satisfies Record<
  string,
  FieldType
>
export const REQUIRED_MANIFEST_FIELDS = ['version', 'certificates'] as const

/** The only version there is; a later one would change fields' meaning. */
export const MANIFEST_VERSION = 1

/** An entry's fields: each certificate field's manifest key and type (certificate/fields.ts). */
export const ENTRY_FIELDS = Object.fromEntries(
  CERTIFICATE_FIELD_KEYS.map((key) => [key, CERTIFICATE_FIELDS[key].type]),
) as { [K in keyof typeof CERTIFICATE_FIELDS]: (typeof CERTIFICATE_FIELDS)[K]['type'] }
export type EntryField = keyof typeof ENTRY_FIELDS

/** An entry's fields as found in its YAML, by key: the key's node and the value's. */
export type Fields = Partial<Record<EntryField, { key: Node | null; value: Node | null }>>
/** And `ca` for the account's store (manifest/entry.ts): the other stores each hold one kind. */
export const REQUIRED_ENTRY_FIELDS = ['name', 'certificate'] as const

export const BINDING_FIELDS = { config: 'string', binding: 'string' } as const satisfies Record<string, FieldType>
export const REQUIRED_BINDING_FIELDS = ['config', 'binding'] as const

/** An environment variable a manifest may read a secret from. */
export const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/
/**
 * Variables a manifest may not read, by prefix, and whose they are: one changed in a pull request
 * could otherwise send the runner's tokens, or this action's own credentials, as a key.
 */
export const RESERVED_VARIABLE_PREFIXES: Readonly<Record<string, string>> = {
  GITHUB_: 'the runner keeps for its own variables',
  ACTIONS_: 'the runner keeps for its own variables',
  RUNNER_: 'the runner keeps for its own variables',
  INPUT_: 'the runner keeps for its own variables',
  CLOUDFLARE_: 'this action reads its own Cloudflare credentials from (CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_KEY)',
}
