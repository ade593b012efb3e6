import { describe, expect, it } from 'vitest'
import { parseBoolean } from '../../../src/action/input-parsers.ts'

describe('booleans follow YAML 1.2', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('accepts %s', (value, expected) => {
    expect(
      parseBoolean('ca', value, () => {
        throw new Error('read as empty')
      }),
    ).toBe(expected)
    expect(parseBoolean('dry-run', value, false)).toBe(expected)
  })

  it('takes the default for an empty value, or calls what refuses it', () => {
    expect(parseBoolean('dry-run', '', false)).toBe(false)
    expect(parseBoolean('dry-run', '', true)).toBe(true)
    expect(() =>
      parseBoolean('ca', '', () => {
        throw new Error('ca is required')
      }),
    ).toThrow('ca is required')
  })

  it('quotes a long value cut with an ellipsis, never cut unmarked', () => {
    expect(() => parseBoolean('dry-run', 'true-ish, as in mostly true', false)).toThrow("got 'true-ish, as in mos…'.")
  })

  it.each(['yes', 'no', '1', '0', 'on', 'off', 'tRUE', 'y'])('rejects %s', (value) => {
    expect(() => parseBoolean('dry-run', value, false)).toThrow(
      `Input 'dry-run' must be true or false (YAML 1.2 booleans: true, True, TRUE, false, False, FALSE), got '${value}'.`,
    )
  })
})
