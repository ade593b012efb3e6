import { describe, expect, it } from 'vitest'
import { settleConcurrently } from '../../../src/core/concurrency.ts'

describe('settleConcurrently', () => {
  it('runs at most the limit at once, keeps the order, and lets one failure not stop the rest', async () => {
    let running = 0
    let peak = 0
    const results = await settleConcurrently(
      Array.from({ length: 20 }, (_, i) => i),
      8,
      async (i) => {
        running++
        peak = Math.max(peak, running)
        await new Promise((resolve) => setTimeout(resolve, 5 + (i % 3)))
        running--
        if (i === 4) throw new Error('four')
        return i * 2
      },
    )
    expect(peak).toBe(8)
    expect(results[4]).toMatchObject({ status: 'rejected', reason: new Error('four') })
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual(
      Array.from({ length: 20 }, (_, i) => i * 2).filter((v) => v !== 8),
    )
  })

  it('settles at once with nothing to do', async () => {
    expect(await settleConcurrently([], 8, () => Promise.resolve(1))).toEqual([])
  })
})
