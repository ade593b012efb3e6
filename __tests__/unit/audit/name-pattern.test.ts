import { describe, expect, it } from 'vitest'
import { matchesAnyPattern, matchesPattern, parseNamePattern } from '../../../src/audit/name-pattern.ts'

const matches = (pattern: string, name: string): boolean => matchesPattern(parseNamePattern(pattern), name)

describe('name patterns', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['payments-*', 'payments-eu', true],
    ['payments-*', 'payments-', true],
    ['payments-*', 'Payments-eu', false],
    ['*-client', 'api-client', true],
    ['*-client', 'api-client-2', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXcYYb', false],
    ['edge-??', 'edge-01', true],
    ['edge-??', 'edge-1', false],
    ['?', 'é', true],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    ['a\\?', 'a?', true],
    ['a\\?', 'ab', false],
    ['**x', 'x', true],
  ])('%s against %s: %s', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected)
  })

  it('takes time in proportion to pattern and name, not exponential in the stars', () => {
    const started = performance.now()
    expect(matches(`${'*a'.repeat(50)}*b`, 'a'.repeat(5000))).toBe(false)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('matches every name when there are no patterns, and any of several otherwise', () => {
    expect(matchesAnyPattern([], 'whatever')).toBe(true)
    const patterns = ['a*', 'b*'].map(parseNamePattern)
    expect(matchesAnyPattern(patterns, 'beta')).toBe(true)
    expect(matchesAnyPattern(patterns, 'gamma')).toBe(false)
  })
})
