import { describe, expect, it } from 'vitest'
import {
  deleteZoneOriginCertificate,
  listZoneOriginCertificates,
  readZoneOriginCertificate,
  readZoneOriginPullEnabled,
  setZoneOriginPullEnabled,
  uploadZoneOriginCertificate,
} from '../../../../src/cloudflare/origin-pull/zone.ts'
import type { HttpResponse } from '../../../../src/cloudflare/http.ts'
import { ZONE_ID, makeClient } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, failure, fakeApi, operationError, scriptedSend, success } from '../../fakes.ts'

const ID = '2458ce5a0c354c7f82c78e9487d3ff60'
const URL = `${BASE_URL}/zones/${ZONE_ID}/origin_tls_client_auth`

function client(...answers: HttpResponse[]) {
  const send = scriptedSend(...answers)
  return { api: fakeApi(send, { maxRetries: 0 }).api, requests: send.requests }
}

describe('zone-level origin pull client', () => {
  it('lists, reads, deletes (with the JSON body the description asks for) and reads the setting', async () => {
    const { api, requests } = client(
      success([{ id: ID, status: 'active' }]),
      success({ id: ID, status: 'pending_deployment' }),
      success({ id: ID, status: 'pending_deletion' }),
      success({ enabled: true }),
      success({ enabled: false }),
    )
    expect(await listZoneOriginCertificates(api, ZONE_ID)).toEqual([{ id: ID, status: 'active' }])
    expect(await readZoneOriginCertificate(api, ZONE_ID, ID)).toEqual({ id: ID, status: 'pending_deployment' })
    await deleteZoneOriginCertificate(api, ZONE_ID, ID)
    expect(await readZoneOriginPullEnabled(api, ZONE_ID)).toBe(true)
    expect(await setZoneOriginPullEnabled(api, ZONE_ID, false)).toBe(false)
    expect(requests.map((r) => [r.method, r.url.replace(URL, ''), r.body])).toEqual([
      ['GET', '', undefined],
      ['GET', `/${ID}`, undefined],
      ['DELETE', `/${ID}`, '{}'],
      ['GET', '/settings', undefined],
      ['PUT', '/settings', '{"enabled":false}'],
    ])
  })

  it('uploads with the key, and keeps the key out of an error that echoes it', async () => {
    const { client: leaf, keyPem } = makeClient()
    const line = keyPem.split('\n')[1] ?? ''
    const { api, requests } = client(failure(400, [{ code: 1413, message: `bad key ${line}` }]))
    const error = await operationError(
      uploadZoneOriginCertificate(api, ZONE_ID, { certificate: leaf.pem, privateKey: keyPem }, () => undefined),
    )
    expect(error.message).toContain('bad key [redacted]')
    expect(error.message).not.toContain(line)
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ certificate: leaf.pem, private_key: keyPem })
  })

  it('reads a certificate that is gone as absent', async () => {
    const { api } = client(failure(404, [{ code: 1404, message: 'not found' }]))
    expect(await readZoneOriginCertificate(api, ZONE_ID, ID)).toBe('absent')
  })
})
