import { describe, expect, it, vi } from 'vitest'
import { systemClock } from '../../../src/core/clock.ts'

describe('systemClock', () => {
  it('tells the time and a random number in [0, 1)', () => {
    const before = Date.now()
    const now = systemClock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
    const random = systemClock.random()
    expect(random).toBeGreaterThanOrEqual(0)
    expect(random).toBeLessThan(1)
  })

  it('sleeps for the time given, and not less', async () => {
    vi.useFakeTimers()
    try {
      let done = false
      const sleeping = systemClock.sleep(1000).then(() => (done = true))
      await vi.advanceTimersByTimeAsync(999)
      expect(done).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      await sleeping
      expect(done).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('wakes as soon as the signal aborts, and leaves no timer behind', async () => {
    vi.useFakeTimers()
    try {
      const controller = new AbortController()
      const sleeping = systemClock.sleep(60_000, controller.signal)
      expect(vi.getTimerCount()).toBe(1)
      controller.abort()
      await sleeping
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})
