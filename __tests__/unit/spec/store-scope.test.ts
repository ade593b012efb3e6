import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { storeScopeOf } from '../../../src/spec/store-scope.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'

/** The inputs as trimmedInputs reads them: '' for one not given. */
const read =
  (inputs: Record<string, string>) =>
  (name: string): string =>
    inputs[name] ?? ''

describe('storeScopeOf', () => {
  it('reads no zone, no hostnames and no swap as account-wide (Access) with none', () => {
    expect(storeScopeOf(read({}))).toEqual({ hostnames: [] })
  })

  it('reads the zone lower-cased and the hostnames checked, lower case, each once, in order', () => {
    const scope = storeScopeOf(
      read({ 'zone-id': ZONE_ID.toUpperCase(), hostnames: 'App.Example.com\n*.example.org, app.example.com' }),
    )
    expect(scope).toEqual({ zoneId: ZONE_ID, hostnames: ['app.example.com', '*.example.org'] })
  })

  it('reads swap: detach-first, and refuses another swap naming the choice', () => {
    expect(storeScopeOf(read({ swap: 'detach-first' }))).toEqual({ hostnames: [], swap: 'detach-first' })
    expect(() => storeScopeOf(read({ swap: 'attach-first' }))).toThrow(
      "Input 'swap' must be one of detach-first, got 'attach-first'",
    )
  })

  it('refuses a zone that is not a zone id and a hostname that is not one, each naming its input', () => {
    expect(() => storeScopeOf(read({ 'zone-id': 'example.com' }))).toThrow(InputError)
    expect(() => storeScopeOf(read({ 'zone-id': 'example.com' }))).toThrow(/zone-id/)
    expect(() => storeScopeOf(read({ hostnames: 'https://app.example.com' }))).toThrow(
      "Input 'hostnames': 'https://app.example.com' has a scheme",
    )
  })
})
