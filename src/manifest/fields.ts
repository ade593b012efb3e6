/**
 * The manifest's fields, in one place: the checker reads them here, and a repository test holds
 * manifest.schema.json to them.
 */

/** `string-list`: a YAML list of strings; `bindings`: a list of `{config, binding}` maps. */
export type FieldType = 'integer' | 'string' | 'boolean' | 'string-list' | 'entries' | 'bindings'

export const MANIFEST_FIELDS = { version: 'integer', certificates: 'entries' } as const satisfies Record<
  string,
  FieldType
>
export const REQUIRED_MANIFEST_FIELDS = ['version', 'certificates'] as const

/** The only version there is; a later one would change fields' meaning. */
export const MANIFEST_VERSION = 1

export const ENTRY_FIELDS = {
  name: 'string',
  certificate: 'string',
  ca: 'boolean',
  'private-key-env': 'string',
  'private-key-path': 'string',
  'private-key-passphrase-env': 'string',
  'allow-missing-key': 'boolean',
  replace: 'boolean',
  'zone-id': 'string',
  hostnames: 'string-list',
  wrangler: 'bindings',
} as const satisfies Record<string, FieldType>
export type EntryField = keyof typeof ENTRY_FIELDS
export const REQUIRED_ENTRY_FIELDS = ['name', 'certificate', 'ca'] as const

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
