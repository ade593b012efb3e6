import { describe, expect, it } from 'vitest'
import { CERTIFICATE_FIELDS, CERTIFICATE_FIELD_KEYS, PER_CERTIFICATE_INPUTS } from '../../../src/certificate/fields.ts'
import { ENTRY_FIELDS } from '../../../src/manifest/fields.ts'

// action.yml and manifest.schema.json against the table: __tests__/repository/certificate-fields.test.ts.

describe('CERTIFICATE_FIELDS', () => {
  it('lists every key once, in the order the manifest names its fields', () => {
    expect(CERTIFICATE_FIELD_KEYS).toEqual(Object.keys(CERTIFICATE_FIELDS))
    expect(Object.keys(ENTRY_FIELDS)).toEqual(CERTIFICATE_FIELD_KEYS)
    expect(ENTRY_FIELDS['private-key-env']).toBe('string')
    expect(ENTRY_FIELDS.wrangler).toBe('bindings')
  })

  it('makes the per-certificate inputs of every field but replace, which stays the entries’ default', () => {
    expect(PER_CERTIFICATE_INPUTS).toContain('certificate-path')
    expect(PER_CERTIFICATE_INPUTS).toContain('private-key')
    expect(PER_CERTIFICATE_INPUTS).toContain('binding')
    expect(PER_CERTIFICATE_INPUTS).not.toContain('replace')
    expect(PER_CERTIFICATE_INPUTS).toContain('store')
    expect(PER_CERTIFICATE_INPUTS).toHaveLength(14)
  })
})
