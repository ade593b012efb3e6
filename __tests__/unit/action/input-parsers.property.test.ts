import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseBoolean, parseInteger, parsePositiveSeconds } from '../../../src/action/input-parsers.ts'
import { anyString, inputErrorOf } from '../properties.ts'

/** The generic input parsers, for any string at all: a result within the documented range, or an InputError naming the input. */

describe('parseBoolean, parseInteger and parsePositiveSeconds on any string', () => {
  it('parseBoolean gives a boolean only for the YAML 1.2 spellings, and the fallback for nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, fc.mixedCase(fc.constantFrom('true', 'false'))),
        fc.boolean(),
        (text, fallback) => {
          const error = inputErrorOf(() => {
            const result = parseBoolean('dry-run', text, fallback)
            expect(result).toBe(text === '' ? fallback : text.toLowerCase() === 'true')
          })
          if (error) expect(error.message).toMatch(/^Input 'dry-run' must be true or false/)
        },
      ),
    )
  })

  it('parseInteger gives a whole number within its range', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.integer().map(String)), fc.nat(20), (text, max) => {
        const error = inputErrorOf(() => {
          const result = parseInteger('max-retries', text, { fallback: 3, min: 0, max })
          if (text === '') expect(result).toBe(3)
          else expect(Number.isSafeInteger(result) && result >= 0 && result <= max).toBe(true)
        })
        if (error) expect(error.message).toMatch(/^Input 'max-retries' must be a whole number/)
      }),
    )
  })

  it('parsePositiveSeconds gives a number of seconds in (0, 3600]', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.double().map(String), fc.nat(5000).map(String)), (text) => {
        const error = inputErrorOf(() => {
          const result = parsePositiveSeconds('timeout-seconds', text, 60)
          expect(result > 0 && result <= 3600).toBe(true)
        })
        if (error) expect(error.message).toMatch(/^Input 'timeout-seconds' must be a number of seconds/)
      }),
    )
  })
})
