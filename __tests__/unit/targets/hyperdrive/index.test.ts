import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EntryPlan, Step } from '../../../../src/plan/step.ts'
import type { TargetContext } from '../../../../src/plan/target.ts'
import type { HyperdriveData } from '../../../../src/targets/hyperdrive/data.ts'
import { HYPERDRIVE, hyperdrive } from '../../../../src/targets/hyperdrive/index.ts'
import { NO_OTHER_CONSUMERS } from '../../../../src/consumers/scope.ts'
import { sharedWorkerChecks } from '../../../../src/replace/workers.ts'
import type { FakeCloudflare } from '../../../../test-kit/fake-cloudflare.ts'
import { useStandIn } from '../../../support/stand-in-hooks.ts'
import { estateApi } from '../../../support/estate-api.ts'

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let client: ReturnType<typeof estateApi>
beforeEach(() => {
  client = estateApi(fake)
})
afterEach(() => client.close())

const CONFIG = 'b'.repeat(32)
const OLD = '11111111-1111-4111-8111-111111111111'
const NEW = '33333333-3333-4333-8333-333333333333'
const entry = (ca = false) =>
  ({ name: 'e', spec: { ca, uses: { hyperdrive: [{ config: CONFIG }] } } }) as unknown as EntryPlan
const context = (forecast = false): TargetContext =>
  ({
    api: client.api,
    forecast,
    consumers: NO_OTHER_CONSUMERS,
    workerCheck: sharedWorkerChecks(client.api),
  }) as unknown as TargetContext

describe('the Hyperdrive target', () => {
  it('reads each config, plans its role, and sets the placed certificate, keeping the other field', async () => {
    fake.estate.hyperdriveConfigs.set(CONFIG, {
      name: 'orders-db',
      mtls: { mtls_certificate_id: OLD, ca_certificate_id: 'ca-1' },
    })
    expect(hyperdrive.appliesTo(entry())).toBe(true)
    const observed = await hyperdrive.observe(entry(), NEW, context())
    const [step] = hyperdrive.plan(entry(), NEW, observed, context())
    expect(step).toMatchObject({
      target: HYPERDRIVE,
      data: { role: 'client', configs: [{ id: CONFIG, name: 'orders-db', now: OLD }] },
    })
    const done = await hyperdrive.apply(
      step as Step<HyperdriveData>,
      { placed: { certificate: { id: NEW }, created: true } },
      context(),
    )
    expect(done).toEqual([{ id: CONFIG, name: 'orders-db', was: OLD, changed: true }])
    expect(fake.estate.hyperdriveConfigs.get(CONFIG)?.mtls).toEqual({
      mtls_certificate_id: NEW,
      ca_certificate_id: 'ca-1',
    })
  })

  it('guards a retire with the configs it moves, counted on only in a forecast', () => {
    const step: Step<HyperdriveData> = {
      target: HYPERDRIVE,
      action: 'set-certificate',
      when: 'now',
      data: { role: 'ca', configs: [{ id: CONFIG, name: 'x' }] },
    }
    const guard = hyperdrive.retireGuard?.(entry(true), [step], context())
    expect(guard).toEqual({ moves: [`hyperdrive\n${CONFIG}\nca`] })
    const forecast = hyperdrive.retireReads?.(guard, undefined, context(true))
    expect(forecast).toMatchObject({ movedByDeploy: new Set([`hyperdrive\n${CONFIG}\nca`]) })
    expect(hyperdrive.retireReads?.(guard, NEW, context(false))).not.toHaveProperty('movedByDeploy')
    expect(hyperdrive.retireReads?.({ moves: 'x' }, NEW, context())).toBe('its Hyperdrive configs are not as saved')
  })
})
