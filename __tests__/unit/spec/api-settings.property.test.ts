import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseAccountId, parseApiBaseUrl } from '../../../src/spec/api-settings.ts'
import { anyString, inputErrorOf } from '../properties.ts'

/** account-id and api-base-url, for any string at all: a value of the documented form, or an InputError naming the input. */

describe('parseAccountId and parseApiBaseUrl on any string', () => {
  it('parseAccountId gives 32 lower-case hex digits', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.stringMatching(/^[0-9a-fA-F]{32}$/)), (text) => {
        const error = inputErrorOf(() => {
          expect(parseAccountId(text)).toMatch(/^[0-9a-f]{32}$/)
        })
        if (error) expect(error.message).toMatch(/^Input 'account-id' /)
      }),
    )
  })

  it('parseApiBaseUrl gives an https (or loopback http) root without trailing slash, query or fragment', () => {
    const url = fc.oneof(
      anyString,
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl().map((text) => text.replace(/^https?:\/\/[^/]*/, 'http://127.0.0.1:8787')),
    )
    fc.assert(
      fc.property(url, (text) => {
        const error = inputErrorOf(() => {
          const result = parseApiBaseUrl(text)
          const parsed = new URL(result)
          expect(['https:', 'http:']).toContain(parsed.protocol)
          if (parsed.protocol === 'http:') expect(parsed.hostname).toMatch(/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/)
          expect(result).not.toMatch(/\/$|[?#]/)
          expect(parseApiBaseUrl(result)).toBe(result)
        })
        if (error) expect(error.message).toMatch(/^Input 'api-base-url' /)
      }),
    )
  })
})
