/**
 * The fields of one certificate, in one table: the step's input(s) that give each, its key in a
 * manifest entry, its type there, and the targets that use it. The manifest's entry fields and the
 * list of per-certificate inputs are made from it; a repository test holds action.yml and
 * manifest.schema.json to it.
 */

/** `string-list`: a YAML list of strings; `bindings`: a list of `{config, binding}` maps; `configs`: a list of `{config}` maps; `entries`: the manifest's list. */
export type FieldType = 'integer' | 'string' | 'boolean' | 'string-list' | 'entries' | 'bindings' | 'configs'

/** What a certificate is placed in or used by (src/targets/): a store, API Shield, Workers. */
export type FieldTarget = 'store' | 'api-shield' | 'workers'

export interface CertificateField {
  /** The step's inputs that give it, the first being the one messages name when none is set. */
  inputs: readonly string[]
  type: FieldType
  targets: readonly FieldTarget[]
  /** With a manifest, the input stays on the step as the entries' default (`replace`), not refused. */
  stepDefault?: true
}

/** By manifest key, in the order the manifest's messages list them. */
export const CERTIFICATE_FIELDS = {
  name: { inputs: ['name'], type: 'string', targets: ['store'] },
  store: { inputs: ['store'], type: 'string', targets: ['store'] },
  certificate: { inputs: ['certificate-path', 'certificate'], type: 'string', targets: ['store'] },
  ca: { inputs: ['ca'], type: 'boolean', targets: ['store', 'api-shield', 'workers'] },
  'private-key-env': { inputs: ['private-key'], type: 'string', targets: ['store'] },
  'private-key-path': { inputs: ['private-key-path'], type: 'string', targets: ['store'] },
  'private-key-passphrase-env': { inputs: ['private-key-passphrase'], type: 'string', targets: ['store'] },
  'allow-missing-key': { inputs: ['allow-missing-key'], type: 'boolean', targets: ['store'] },
  replace: { inputs: ['replace'], type: 'boolean', targets: ['store'], stepDefault: true },
  'zone-id': { inputs: ['zone-id'], type: 'string', targets: ['api-shield', 'store'] },
  hostnames: { inputs: ['hostnames'], type: 'string-list', targets: ['api-shield', 'store'] },
  swap: { inputs: ['swap'], type: 'string', targets: ['store'] },
  wrangler: { inputs: ['wrangler-config', 'binding'], type: 'bindings', targets: ['workers'] },
} as const satisfies Record<string, CertificateField>

/** A certificate's field, by its manifest key. */
export type CertificateFieldKey = keyof typeof CERTIFICATE_FIELDS

export const CERTIFICATE_FIELD_KEYS = Object.keys(CERTIFICATE_FIELDS) as CertificateFieldKey[]

/** The inputs that describe one certificate and that a manifest replaces (its entries say them instead). */
export const PER_CERTIFICATE_INPUTS: readonly string[] = CERTIFICATE_FIELD_KEYS.flatMap((key) => {
  const field: CertificateField = CERTIFICATE_FIELDS[key]
  return field.stepDefault ? [] : field.inputs
})

/**
 * A manifest field a target of its own declares (src/targets/<name>/), so that adding a target edits
 * no reader: a list of maps of strings (`hyperdrive: [{config: …}]`), each item checked by the target,
 * and its rule against the certificate. The readers get these from the registry.
 */
export interface TargetField {
  /** The manifest key, and the target's name: its values are in the spec's `uses` under it. */
  key: string
  /** Each item's keys (all strings), and those it must have. */
  items: Readonly<Record<string, 'string'>>
  required: readonly string[]
  /** One item's problem, said after its field's name; undefined for a good one. */
  check?(item: Readonly<Record<string, string>>): string | undefined
  /** The field's problem with the certificate it is on, said after the field's name; undefined when none. */
  rule?(certificate: { ca: boolean | undefined; hasKey: boolean }): string | undefined
}
