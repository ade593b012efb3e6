import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import {
  deploymentsOf,
  versionBindingsOf,
  workerDeployments,
  workerVersionBindings,
} from '../../../../src/cloudflare/workers/deployments.ts'
import { failure, fakeApi, operationError, scriptedSend, success } from '../../fakes.ts'

const V1 = '11111111-aaaa-4aaa-8aaa-111111111111'
const V2 = '22222222-bbbb-4bbb-8bbb-222222222222'
const CERT = 'b2134436-2555-4acf-be5b-26c48136575e'

describe('deploymentsOf', () => {
  it('reads each deployment as its versions and percentages, newest first', () => {
    const result = {
      deployments: [
        {
          id: 'd2',
          strategy: 'percentage',
          versions: [
            { version_id: V2, percentage: 10 },
            { version_id: V1, percentage: 90 },
          ],
        },
        { id: 'd1', versions: [{ version_id: V1, percentage: 100 }] },
      ],
    }
    expect(deploymentsOf(result, 'payments')).toEqual([
      {
        id: 'd2',
        versions: [
          { versionId: V2, percentage: 10 },
          { versionId: V1, percentage: 90 },
        ],
      },
      { id: 'd1', versions: [{ versionId: V1, percentage: 100 }] },
    ])
  })

  it('refuses any other shape', () => {
    for (const wrong of [
      [],
      { deployments: {} },
      { deployments: [{ id: 'd' }] },
      { deployments: [{ id: 'd', versions: [{ version_id: V1, percentage: '100' }] }] },
      { deployments: [{ id: 'd', versions: [{ version_id: '../x', percentage: 100 }] }] },
    ]) {
      expect(() => deploymentsOf(wrong, 'payments')).toThrow(ApiError)
    }
  })
})

describe('versionBindingsOf', () => {
  it('reads resources.bindings, none when the field is left out, and refuses no resources', () => {
    const binding = { type: 'mtls_certificate', name: 'PAYMENTS_CERT', certificate_id: CERT }
    expect(versionBindingsOf({ resources: { bindings: [binding] } }, 'v')).toEqual([
      { name: 'PAYMENTS_CERT', certificateId: CERT },
    ])
    expect(versionBindingsOf({ resources: {} }, 'v')).toEqual([])
    expect(() => versionBindingsOf({ id: V1 }, 'v')).toThrow(ApiError)
  })
})

describe('workerDeployments and workerVersionBindings', () => {
  it('read the paths, absent for a missing Worker, and refuse a name or version that would change the URL', async () => {
    const send = scriptedSend(
      success({ deployments: [{ id: 'd', versions: [{ version_id: V1, percentage: 100 }] }] }),
      failure(404, [{ code: 10007, message: 'workers.api.error.script_not_found' }]),
      success({ resources: { bindings: [] } }),
    )
    const { api } = fakeApi(send, { maxRetries: 0 })
    expect(await workerDeployments(api, 'payments')).toHaveLength(1)
    expect(await workerDeployments(api, 'gone')).toBe('absent')
    expect(await workerVersionBindings(api, 'payments', V1)).toEqual([])
    expect(send.requests.map((r) => new URL(r.url).pathname.split('/workers/')[1])).toEqual([
      'scripts/payments/deployments',
      'scripts/gone/deployments',
      `scripts/payments/versions/${V1}`,
    ])
    await operationError(workerDeployments(api, 'a/b'))
    await operationError(workerVersionBindings(api, 'payments', '../x'))
  })
})
