import { describe, expect, it } from 'vitest'
import { readServed } from '../../../../src/targets/workers/deployed.ts'
import { afterEach, beforeEach } from 'vitest'
import { useStandIn } from '../../../support/stand-in-hooks.ts'
import { estateApi } from '../../../support/estate-api.ts'
import type { FakeCloudflare } from '../../../../test-kit/fake-cloudflare.ts'

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let client: ReturnType<typeof estateApi>
beforeEach(() => {
  client = estateApi(fake)
})
afterEach(() => client.close())

const OLD = '11111111-1111-4111-8111-111111111111'
const section = (worker: string | undefined, binding = 'CERT') => ({
  config: 'wrangler.toml',
  section: 'top level',
  binding,
  ...(worker ? { worker } : {}),
})

describe('readServed', () => {
  it('reads each Worker once: what each binding serves, or that the Worker is not deployed', async () => {
    fake.deployWorker('payments', { CERT: OLD })
    const served = await readServed(client.api, [
      section('payments'),
      section('payments', 'OTHER'),
      section('billing'),
      section(undefined),
    ])
    expect(served).toEqual({
      payments: {
        CERT: { kind: 'serves', ids: [{ certificateId: OLD, percentage: 100 }] },
        OTHER: { kind: 'serves', ids: [] },
      },
      billing: { CERT: { kind: 'absent' } },
    })
  })

  it('says a Worker was not read, and why, when Cloudflare refuses the read', async () => {
    fake.workerReadsForbidden = true
    const served = await readServed(client.api, [section('payments')])
    expect(served.payments?.CERT).toMatchObject({ kind: 'unread' })
  })
})
