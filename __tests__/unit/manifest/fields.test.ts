import { describe, expect, it } from 'vitest'
import { CERTIFICATE_FIELDS, CERTIFICATE_FIELD_KEYS } from '../../../src/certificate/fields.ts'
import {
  ENTRY_FIELDS,
  REQUIRED_ENTRY_FIELDS,
  RESERVED_VARIABLE_PREFIXES,
  VARIABLE_NAME,
} from '../../../src/manifest/fields.ts'

// manifest.schema.json against these fields: schema.test.ts beside this file.

describe("the manifest's fields", () => {
  it("makes an entry's fields of the certificate's, each key with its type", () => {
    expect(Object.keys(ENTRY_FIELDS)).toEqual(CERTIFICATE_FIELD_KEYS)
    for (const key of CERTIFICATE_FIELD_KEYS) expect(ENTRY_FIELDS[key]).toBe(CERTIFICATE_FIELDS[key].type)
    for (const key of REQUIRED_ENTRY_FIELDS) expect(ENTRY_FIELDS).toHaveProperty(key)
  })

  it("takes a variable name of capitals, digits and underscores, not the runner's or this action's own", () => {
    expect(VARIABLE_NAME.test('PAYMENTS_KEY')).toBe(true)
    expect(VARIABLE_NAME.test('payments_key')).toBe(false)
    expect(VARIABLE_NAME.test('1KEY')).toBe(false)
    expect(Object.keys(RESERVED_VARIABLE_PREFIXES)).toEqual(
      expect.arrayContaining(['GITHUB_', 'RUNNER_', 'INPUT_', 'CLOUDFLARE_']),
    )
  })
})
