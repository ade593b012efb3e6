import { describe, expect, it } from 'vitest'
import { readWorkerServing, readWorkerVersions } from '../../../src/consumers/worker-serving.ts'
import { standInApi } from '../fakes.ts'

const OLD = '11111111-1111-4111-8111-111111111111'
const NEW = '22222222-2222-4222-8222-222222222222'
const { fake, api } = standInApi()

describe('readWorkerServing', () => {
  it('gives per binding the certificates the current deployment serves, with each percentage', async () => {
    fake().deployWorker('payments', { PAYMENTS_CERT: OLD })
    fake().estate.deployVersions('payments', [
      { certificates: { PAYMENTS_CERT: NEW }, percentage: 10 },
      { certificates: { PAYMENTS_CERT: OLD }, percentage: 90 },
    ])
    expect(await readWorkerServing(api(), 'payments')).toEqual({
      exists: true,
      bindings: {
        PAYMENTS_CERT: [
          { certificateId: NEW, percentage: 10 },
          { certificateId: OLD, percentage: 90 },
        ],
      },
    })
    expect(await readWorkerServing(api(), 'never-deployed')).toEqual({ exists: false })
    expect(fake().specViolations).toEqual([])
  })
})

describe('readWorkerVersions', () => {
  it('reads each version once, with the last N deployments for a rollback', async () => {
    const [v1 = ''] = fake().estate.deployVersions('payments', [
      { certificates: { PAYMENTS_CERT: OLD }, percentage: 100 },
    ])
    const [v2 = ''] = fake().estate.deployVersions('payments', [
      { certificates: { PAYMENTS_CERT: NEW }, percentage: 100 },
    ])
    // v1 back at 0 %: still reachable by header, so still read.
    fake().estate.deployExisting('payments', [
      { versionId: v2, percentage: 100 },
      { versionId: v1, percentage: 0 },
    ])
    const now = await readWorkerVersions(api(), 'payments')
    expect(now.exists && now.versions.map((v) => [v.versionId, v.percentage])).toEqual([
      [v2, 100],
      [v1, 0],
    ])
    fake().requests.length = 0
    const back = await readWorkerVersions(api(), 'payments', 2)
    expect(back.exists && back.versions.map((v) => v.versionId)).toEqual([v2, v1])
    expect(fake().requests.filter((r) => r.path.includes('/versions/'))).toHaveLength(2)
  })
})
