import { describe, expect, it } from 'vitest'
import { isRecord } from '../../../src/core/record.ts'

describe('isRecord', () => {
  it('takes a plain object, and neither null, a list nor a value', () => {
    expect(isRecord({})).toBe(true)
    expect(isRecord({ a: 1 })).toBe(true)
    for (const value of [null, undefined, [], [1], 'x', 1, true]) expect(isRecord(value)).toBe(false)
  })
})

describe('isRecord, as the Wrangler readers use it', () => {
  it('is an object that is neither null nor a list', () => {
    expect([{}, [], null, 'x', 1].map(isRecord)).toEqual([true, false, false, false, false])
  })
})
