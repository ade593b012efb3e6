import { describe, expect, it } from 'vitest'
import {
  dispatchConsumers,
  hyperdriveConsumers,
  pagesConsumers,
  workerConsumers,
} from '../../../src/consumers/readers.ts'
import { standInApi } from '../fakes.ts'

const OLD = '11111111-1111-4111-8111-111111111111'
const CA = '33333333-3333-4333-8333-333333333333'
const { fake, api } = standInApi()

describe('the readers of each kind', () => {
  it('describe each consumer as the summary names it', async () => {
    fake().estate.deployVersions('payments-production', [
      { certificates: { PAYMENTS_CERT: OLD }, percentage: 90 },
      { certificates: {}, percentage: 10 },
    ])
    fake().estate.dispatchScript('customers', 'acme', { ACME_CERT: OLD })
    fake().estate.pagesProjects.set('shop', { preview: { SHOP_CERT: OLD } })
    fake().estate.hyperdriveConfigs.set('h1', {
      name: 'orders-db',
      mtls: { mtls_certificate_id: OLD, ca_certificate_id: CA },
    })
    expect(await workerConsumers(api(), 'every', 0)).toEqual([
      {
        certificateId: OLD,
        description: 'Worker payments-production (PAYMENTS_CERT, 90 %)',
        deployed: 'payments-production\nPAYMENTS_CERT',
      },
    ])
    expect((await dispatchConsumers(api())).map((c) => c.description)).toEqual([
      'dispatch namespace customers, script acme (ACME_CERT)',
    ])
    expect((await pagesConsumers(api())).map((c) => c.description)).toEqual(['Pages project shop (preview, SHOP_CERT)'])
    expect((await hyperdriveConsumers(api())).map((c) => c.description)).toEqual([
      'Hyperdrive orders-db (client)',
      'Hyperdrive orders-db (CA)',
    ])
    expect(fake().specViolations).toEqual([])
  })

  it('name a rollback target by how far back it was deployed', async () => {
    fake().estate.deployVersions('payments', [{ certificates: { PAYMENTS_CERT: OLD }, percentage: 100 }])
    fake().estate.deployVersions('payments', [{ certificates: {}, percentage: 100 }])
    expect(await workerConsumers(api(), ['payments'], 0)).toEqual([])
    expect((await workerConsumers(api(), ['payments'], 1)).map((c) => c.description)).toEqual([
      'Worker payments (PAYMENTS_CERT, a rollback target, the deployment before)',
    ])
  })
})
