import { describe, expect, it } from 'vitest'
import { QUIET, defaultDependencies } from '../../../src/cloudflare/dependencies.ts'
import { systemClock } from '../../../src/core/clock.ts'

describe('defaultDependencies', () => {
  it("is the system clock and an HTTP client of the action's own", () => {
    const dependencies = defaultDependencies()
    expect(dependencies.clock).toBe(systemClock)
    expect(typeof dependencies.http.send).toBe('function')
    expect(defaultDependencies().http).not.toBe(dependencies.http)
  })
})

describe('QUIET', () => {
  it('takes lines and says nothing', () => {
    expect(() => {
      QUIET.info('x')
      QUIET.debug('x')
    }).not.toThrow()
  })
})
