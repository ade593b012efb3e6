import { describe, expect, it } from 'vitest'
import { consumersOf, readInventory } from '../../../src/consumers/inventory.ts'
import { standInApi } from '../fakes.ts'

const OLD = '11111111-1111-4111-8111-111111111111'
const { fake, api } = standInApi()
const every = { workers: 'every' as const, pages: true, hyperdrive: true, rollbackDeployments: 0 }

describe('readInventory', () => {
  it('reads every kind the scope asks for, and what uses one certificate', async () => {
    fake().deployWorker('payments', { PAYMENTS_CERT: OLD })
    fake().estate.hyperdriveConfigs.set('h1', { name: 'orders-db', mtls: { mtls_certificate_id: OLD } })
    const inventory = await readInventory(api(), every)
    expect(inventory.unread).toEqual([])
    expect(consumersOf(inventory, OLD.toUpperCase())).toEqual([
      'Worker payments (PAYMENTS_CERT, 100 %)',
      'Hyperdrive orders-db (client)',
    ])
    const workersOnly = await readInventory(api(), { ...every, workers: ['payments'], pages: false, hyperdrive: false })
    expect(consumersOf(workersOnly, OLD)).toEqual(['Worker payments (PAYMENTS_CERT, 100 %)'])
  })

  it('lists each part it could not read with the permission, keeping what it could read', async () => {
    fake().estate.hyperdriveConfigs.set('h1', { name: 'orders-db', mtls: { ca_certificate_id: OLD } })
    fake().estate.forbidden.add('pages')
    fake().deployWorker('alpha')
    fake().deployWorker('beta')
    fake().estate.scriptsListing = 'count-above'
    const inventory = await readInventory(api(), every)
    expect(inventory.unread.map((u) => [u.what, u.permission])).toEqual([
      ['Workers', '"Account → Workers Scripts → Read"'],
      ['Pages projects', '"Account → Cloudflare Pages → Read"'],
    ])
    expect(inventory.unread[0]?.cause).toContain('may be partial')
    expect(consumersOf(inventory, OLD)).toEqual(['Hyperdrive orders-db (CA)'])
  })
})
