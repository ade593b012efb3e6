import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  CERTIFICATE_FIELDS,
  CERTIFICATE_FIELD_KEYS,
  PER_CERTIFICATE_INPUTS,
  type CertificateField,
  type FieldType,
} from '../../src/certificate/fields.ts'
import { ROOT } from '../../test-kit/run-action.ts'
import { TARGET_FIELDS } from '../../src/targets/registry.ts'

/**
 * The table of a certificate's fields (src/certificate/fields.ts) against the two contracts it
 * describes: action.yml's inputs and manifest.schema.json's entry.
 */

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }

interface SchemaNode {
  type?: string
  $ref?: string
  properties?: Record<string, SchemaNode>
  $defs?: Record<string, SchemaNode>
  items?: SchemaNode
  required?: string[]
}
const schema = JSON.parse(readFileSync(join(ROOT, 'manifest.schema.json'), 'utf8')) as SchemaNode
const resolved = (node: SchemaNode | undefined): SchemaNode =>
  node?.$ref ? (schema.$defs?.[node.$ref.replace('#/$defs/', '')] ?? {}) : (node ?? {})
const entry = resolved({ $ref: '#/$defs/entry' })

/** The inputs that hold for the whole step, whatever it handles: never a certificate's field. */
const STEP_INPUTS = [
  'account-id',
  'api-token',
  'api-email',
  'api-key',
  'api-base-url',
  'expiry-warning-days',
  'max-retries',
  'timeout-seconds',
  'replace-when',
  'dry-run',
  'check-workers',
  'check-consumers',
  'rollback-deployments',
  'manifest',
  'pr-comment',
  'github-token',
  'fail-on-changes',
]

const JSON_TYPE: Record<FieldType, string> = {
  integer: 'integer',
  string: 'string',
  boolean: 'boolean',
  'string-list': 'array',
  entries: 'array',
  bindings: 'array',
  configs: 'array',
}

const rows = CERTIFICATE_FIELD_KEYS.map((key) => [key, CERTIFICATE_FIELDS[key] as CertificateField] as const)

describe("the certificate's fields", () => {
  it("are action.yml's inputs, with the step-wide ones: every input is one or the other, never both", () => {
    const tableInputs = rows.flatMap(([, field]) => field.inputs)
    expect(new Set(tableInputs).size).toBe(tableInputs.length)
    expect(tableInputs.filter((name) => STEP_INPUTS.includes(name))).toEqual([])
    expect([...tableInputs, ...STEP_INPUTS].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('list as per-certificate inputs every input of a field but the entries’ defaults (replace)', () => {
    const defaults = rows.filter(([, field]) => field.stepDefault).flatMap(([, field]) => field.inputs)
    expect(defaults).toEqual(['replace'])
    expect([...PER_CERTIFICATE_INPUTS, ...defaults].sort()).toEqual(rows.flatMap(([, field]) => field.inputs).sort())
  })

  it("are manifest.schema.json's entry, key for key, each of its type, with the fields the targets declare", () => {
    const targetKeys = TARGET_FIELDS.map((field) => field.key)
    expect(Object.keys(entry.properties ?? {}).sort()).toEqual([...CERTIFICATE_FIELD_KEYS, ...targetKeys].sort())
    for (const field of TARGET_FIELDS) {
      const items = resolved(resolved(entry.properties?.[field.key]).items)
      expect(Object.keys(items.properties ?? {}).sort(), field.key).toEqual(Object.keys(field.items).sort())
      expect([...(items.required ?? [])].sort(), field.key).toEqual([...field.required].sort())
    }
    for (const [key, field] of rows) expect(resolved(entry.properties?.[key]).type, key).toBe(JSON_TYPE[field.type])
  })

  it('each name a target that uses them', () => {
    for (const [key, field] of rows) expect(field.targets.length, key).toBeGreaterThan(0)
  })
})
