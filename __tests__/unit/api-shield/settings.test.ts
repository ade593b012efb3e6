import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { getApiShieldSettings, parseHostnames, parseZoneId } from '../../../src/api-shield/settings.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { inputSource } from '../fakes.ts'

/** The InputError `run` throws; fails the test if it returns or throws something else. */
function refusal(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('the value was accepted')
}

describe('zone-id', () => {
  it('takes 32 hex digits, lower-cased', () => {
    expect(parseZoneId('9A7806061C88ADA191ED06F989CC3DAC')).toBe('9a7806061c88ada191ed06f989cc3dac')
  })

  it.each([
    ['example.com', /11 characters and some are not hex digits/],
    ['9a7806061c88ada191ed06f989cc3da', /31 characters/],
    ['b2134436-2555-4acf-be5b-26c48136575e', /36 characters and some are not hex digits/],
  ])('refuses %s, naming the input and where to find the ID', (value, detail) => {
    const message = refusal(() => parseZoneId(value))
    expect(message).toMatch(/^Input 'zone-id' must be 32 hexadecimal characters/)
    expect(message).toMatch(detail)
    expect(message).toContain("Zone ID on the zone's Overview page")
  })
})

describe('hostnames', () => {
  it('takes one per line or comma-separated, lower-cased, each once, in order, blank entries skipped', () => {
    expect(parseHostnames('API.example.com\r\n*.Example.com, mtls.example.com,\n\n api.example.com ,')).toEqual([
      'api.example.com',
      '*.example.com',
      'mtls.example.com',
    ])
  })

  it('turns a Unicode name into the ASCII form Cloudflare stores', () => {
    expect(parseHostnames('bücher.example.com')).toEqual(['xn--bcher-kva.example.com'])
  })

  it.each([
    ['https://api.example.com', 'has a scheme'],
    ['api.example.com/v1', 'has a path'],
    ['api.example.com:8443', 'has a port'],
    ['api.example.com other.example.com', 'has a space'],
    ['api..example.com', 'has an empty label'],
    ['.example.com', 'has an empty label'],
    ['api.example.com.', 'has an empty label'],
    ['api.*.example.com', 'wildcard that is not the whole first label'],
    ['api*.example.com', 'wildcard that is not the whole first label'],
    ['*.com', 'is not a hostname of a zone'],
    ['localhost', 'is not a hostname of a zone'],
    ['-api.example.com', "has the label '-api'"],
    ['api_v1.example.com', "has the label 'api_v1'"],
    ['user@api.example.com', 'has a user name'],
    [`${'a'.repeat(64)}.example.com`, `has the label '${'a'.repeat(62)}…'`],
    [`${'abc.'.repeat(63)}com`, 'is longer than 253 characters'],
  ])('refuses %s: %s', (value, problem) => {
    const message = refusal(() => parseHostnames(value))
    expect(message).toMatch(/^Input 'hostnames': '/)
    expect(message).toContain(problem)
  })

  it('refuses a value that lists no hostname', () => {
    expect(refusal(() => parseHostnames(' , \n'))).toMatch(/^Input 'hostnames' lists no hostname/)
  })

  it('quotes a refused entry on one line, shortened', () => {
    const message = refusal(() => parseHostnames(`https://${'x'.repeat(200)}\u001b[31m`))
    expect(message.length).toBeLessThan(300)
    expect(message).not.toMatch(/\p{Cc}/u)
  })

  it('for any text: hostnames that parse again to themselves, or an InputError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        let hostnames: string[]
        try {
          hostnames = parseHostnames(text)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
          return
        }
        expect(parseHostnames(hostnames.join('\n'))).toEqual(hostnames)
        for (const hostname of hostnames) expect(hostname).toMatch(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/)
      }),
    )
  })

  it('accepts any domain name, in any case and as a wildcard', () => {
    fc.assert(
      fc.property(fc.domain(), fc.boolean(), (domain, wildcard) => {
        const written = `${wildcard ? '*.' : ''}${domain.toUpperCase()}`
        expect(parseHostnames(written)).toEqual([written.toLowerCase()])
      }),
    )
  })
})

describe('getApiShieldSettings', () => {
  const SHIELD = { 'zone-id': ZONE_ID, hostnames: 'api.example.com' }
  const read = (inputs: Record<string, string>) => getApiShieldSettings(inputSource(inputs))

  it('reads zone-id and hostnames together, normalised, for a CA', () => {
    expect(read({ 'zone-id': ZONE_ID.toUpperCase(), hostnames: ' API.example.com,\n*.example.com ' })).toEqual({
      zoneId: ZONE_ID,
      hostnames: ['api.example.com', '*.example.com'],
    })
  })

  it('is undefined unless both are given (that one needs the other is a rule of certificate/rules.ts)', () => {
    expect(read({})).toBeUndefined()
    expect(read({ 'zone-id': ZONE_ID })).toBeUndefined()
    expect(read({ hostnames: 'api.example.com' })).toBeUndefined()
  })

  it.each([
    [{ ...SHIELD, 'zone-id': 'example.com' }, /^Input 'zone-id' must be 32 hexadecimal characters/],
    [{ ...SHIELD, hostnames: 'api.example.com:443' }, /^Input 'hostnames': 'api\.example\.com:443' has a port/],
  ])('refuses %j', (inputs, message) => {
    expect(refusal(() => read(inputs))).toMatch(message)
  })
})
