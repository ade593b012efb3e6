import { describe, expect, it } from 'vitest'
import {
  ASSOCIATION_POLL,
  attachHostnames,
  detachHostnames,
  readAttachPlan,
  waitUntilUnused,
} from '../../../src/api-shield/zone.ts'
import { planRelease } from '../../../src/api-shield/plan.ts'
import type { ZoneHostnamesClient } from '../../../src/cloudflare/zones/hostnames.ts'
import { FakeClock } from '../fakes.ts'

const ZONE = '9a7806061c88ada191ed06f989cc3dac'
const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = '0f1e2d3c4b5a69788796a5b4c3d2e1f0'

/** A zone in memory, recording its calls. */
function zone(lists: Record<string, string[]> = {}): ZoneHostnamesClient & { calls: string[] } {
  const calls: string[] = []
  return {
    zoneId: ZONE,
    calls,
    read: (id) => {
      calls.push(`read ${id}`)
      return Promise.resolve([...(lists[id] ?? [])])
    },
    write: (id, hostnames) => {
      calls.push(`write ${id} ${hostnames.join(',')}`)
      lists[id] = [...hostnames]
      return Promise.resolve()
    },
  }
}

describe('attaching the new CA', () => {
  it('reads, merges and writes the union', async () => {
    const z = zone({ [NEW]: ['legacy.example.com'] })
    const result = await attachHostnames(z, NEW, ['api.example.com'])
    expect(z.calls).toEqual([
      `read ${NEW}`,
      `write ${NEW} legacy.example.com,api.example.com`,
      `read ${NEW}`, // back: what Cloudflare holds is what counts
    ])
    expect(result).toEqual({
      zoneId: ZONE,
      after: ['legacy.example.com', 'api.example.com'],
      attached: ['api.example.com'],
      alreadyThere: [],
      applied: true,
    })
  })

  it('writes nothing on a re-run', async () => {
    const z = zone({ [NEW]: ['api.example.com'] })
    const result = await attachHostnames(z, NEW, ['api.example.com'])
    expect(z.calls).toEqual([`read ${NEW}`])
    expect(result.alreadyThere).toEqual(['api.example.com'])
  })

  it('only reads in a dry run, and reads nothing for a CA not uploaded yet', async () => {
    const z = zone({ [NEW]: [] })
    const planned = await readAttachPlan(z, NEW, ['api.example.com'])
    expect(planned).toMatchObject({ attached: ['api.example.com'] })
    const notUploaded = await readAttachPlan(z, undefined, ['api.example.com'])
    expect(notUploaded.after).toEqual(['api.example.com'])
    expect(z.calls).toEqual([`read ${NEW}`])
  })
  it('fails, detaching nothing, when another run rewrote the list at the same moment', async () => {
    const lists: Record<string, string[]> = { [NEW]: [], [OLD]: ['a.example.com', 'b.example.com'] }
    const z = zone(lists)
    const write = z.write.bind(z)
    // Another job read the same empty list and writes its own union just after ours.
    z.write = async (id, hostnames) => {
      await write(id, hostnames)
      if (id === NEW) lists[NEW] = ['b.example.com']
    }
    await expect(attachHostnames(z, NEW, ['a.example.com'])).rejects.toThrow(
      `After the write, Cloudflare lists CA ${NEW} in zone ${ZONE} without a.example.com`,
    )
    expect(lists[OLD]).toEqual(['a.example.com', 'b.example.com'])
  })

  it('gives as the hostnames what Cloudflare holds after the write', async () => {
    const lists: Record<string, string[]> = { [NEW]: [] }
    const z = zone(lists)
    const write = z.write.bind(z)
    z.write = async (id, hostnames) => {
      await write(id, [...hostnames, 'other.example.com'])
    }
    const result = await attachHostnames(z, NEW, ['a.example.com'])
    expect(result).toMatchObject({ after: ['a.example.com', 'other.example.com'], applied: true })
  })
})

describe('releasing an old CA', () => {
  it('writes the old list without what the new CA serves, in one write', async () => {
    const z = zone({ [OLD]: ['api.example.com', 'partner.example.com'] })
    await detachHostnames(z, OLD, planRelease(await z.read(OLD), ['api.example.com']))
    expect(z.calls).toEqual([`read ${OLD}`, `write ${OLD} partner.example.com`])
  })
})

describe('waiting for the associations to clear', () => {
  it('reads with growing waits until none is left', async () => {
    const clock = new FakeClock(1_000_000, 0.5)
    const answers = [['api_shield'], ['api_shield'], ['api_shield'], []]
    let reads = 0
    const last = await waitUntilUnused(() => Promise.resolve(answers[reads++] ?? []), clock, clock.now() + 60_000)
    expect(last).toEqual([])
    expect(reads).toBe(4)
    expect(clock.sleeps).toEqual([750, 1500, 3000])
    expect(clock.sleeps.every((ms) => ms <= ASSOCIATION_POLL.maxDelayMs)).toBe(true)
  })

  it('gives up with the last answer when the next read would start after the deadline', async () => {
    const clock = new FakeClock(1_000_000, 0.5)
    const start = clock.now()
    const last = await waitUntilUnused(() => Promise.resolve(['gateway']), clock, start + 5_000)
    expect(last).toEqual(['gateway'])
    expect(clock.now()).toBeLessThanOrEqual(start + 5_000)
    expect(clock.sleeps).toEqual([750, 1500])
  })
})
