import { describe, expect, it } from 'vitest'
import {
  BINDING_FIELDS,
  ENTRY_FIELDS,
  MANIFEST_FIELDS,
  MANIFEST_VERSION,
  REQUIRED_BINDING_FIELDS,
  REQUIRED_ENTRY_FIELDS,
  REQUIRED_MANIFEST_FIELDS,
  RESERVED_VARIABLE_PREFIXES,
  VARIABLE_NAME,
} from '../../../src/manifest/fields.ts'

describe("the manifest's fields", () => {
  it('are version 1 with its certificates, each entry requiring name, certificate and ca', () => {
    expect(MANIFEST_VERSION).toBe(1)
    expect(MANIFEST_FIELDS).toEqual({ version: 'integer', certificates: 'entries' })
    expect(REQUIRED_MANIFEST_FIELDS).toEqual(['version', 'certificates'])
    expect(REQUIRED_ENTRY_FIELDS).toEqual(['name', 'certificate', 'ca'])
    expect(BINDING_FIELDS).toEqual({ config: 'string', binding: 'string' })
    expect(REQUIRED_BINDING_FIELDS).toEqual(['config', 'binding'])
  })

  it('require only fields that are known', () => {
    for (const name of REQUIRED_ENTRY_FIELDS) expect(Object.keys(ENTRY_FIELDS)).toContain(name)
    for (const name of REQUIRED_MANIFEST_FIELDS) expect(Object.keys(MANIFEST_FIELDS)).toContain(name)
    expect(ENTRY_FIELDS.hostnames).toBe('string-list')
    expect(ENTRY_FIELDS.wrangler).toBe('bindings')
  })
})

describe('VARIABLE_NAME', () => {
  it('takes capital letters, digits and underscores, not starting with a digit', () => {
    for (const name of ['PAYMENTS_KEY', '_KEY', 'K1']) expect(VARIABLE_NAME.test(name)).toBe(true)
    for (const name of ['payments_key', '1KEY', 'KEY-1', '', '${{ secrets.KEY }}', 'KEY\n'])
      expect(VARIABLE_NAME.test(name)).toBe(false)
  })
})

describe('RESERVED_VARIABLE_PREFIXES', () => {
  it("keep the runner's variables and the action's own credentials out of reach", () => {
    expect(Object.keys(RESERVED_VARIABLE_PREFIXES)).toEqual(['GITHUB_', 'ACTIONS_', 'RUNNER_', 'INPUT_', 'CLOUDFLARE_'])
  })
})
