import { describe, expect, it } from 'vitest'
import type { MtlsCertificate } from '../../../src/cloudflare/mtls/answers.ts'
import { checksConsumers, freeOfWorkers, keptForWorker, type WorkerCheck } from '../../../src/replace/workers.ts'
import type { Inventory } from '../../../src/consumers/inventory.ts'

const OLD = '11111111-1111-4111-8111-111111111111'
const FREE = '22222222-2222-4222-8222-222222222222'
const older = (id: string): MtlsCertificate => ({ id, uploaded_on: '2026-01-01T00:00:00Z' })

/** A check that counts its reads, as workerCheck's callers see it. */
function check(bindings: Inventory): WorkerCheck & { reads: number } {
  const fn = Object.assign(
    () => {
      fn.reads++
      return Promise.resolve(bindings)
    },
    { reads: 0 },
  )
  return fn
}

const known: Inventory = {
  consumers: [{ certificateId: OLD, description: 'Worker payments (PAYMENTS_CERT, 90 %)' }],
  unread: [],
}
const unknown: Inventory = {
  consumers: [],
  unread: [{ what: 'Workers', permission: 'p', cause: 'HTTP 403' }],
}

describe('keptForWorker', () => {
  it('keeps a bound certificate with a warning naming the Worker and binding, and lets a free one be judged', async () => {
    const bound = check(known)
    expect(await keptForWorker(bound, older(OLD))).toEqual({
      id: OLD,
      uploadedOn: '2026-01-01T00:00:00Z',
      action: 'kept',
      reason: 'used by Worker payments (PAYMENTS_CERT, 90 %)',
      warn: true,
    })
    expect(await keptForWorker(bound, older(FREE))).toBeUndefined()
    expect(await keptForWorker(undefined, older(OLD))).toBeUndefined()
  })

  it('keeps every certificate when the bindings are unknown, each without its own warning', async () => {
    const kept = await keptForWorker(check(unknown), older(FREE))
    expect(kept?.action).toBe('kept')
    expect(kept?.warn).toBe(false)
  })
})

describe('freeOfWorkers', () => {
  it('drops the bound candidates, all of them when unknown, and reads nothing for none', async () => {
    expect(await freeOfWorkers(check(known), [OLD, FREE])).toEqual([FREE])
    expect(await freeOfWorkers(check(unknown), [OLD, FREE])).toEqual([])
    const unread = check(known)
    expect(await freeOfWorkers(unread, [])).toEqual([])
    expect(unread.reads).toBe(0)
  })
})

describe('checksConsumers', () => {
  it('checks consumers with Pages or Hyperdrive even without Workers', () => {
    expect(checksConsumers([])).toBe(false)
    expect(checksConsumers([], { pages: false, hyperdrive: true, rollbackDeployments: 0 })).toBe(true)
    expect(checksConsumers(['payments'])).toBe(true)
  })
})
