import { describe, expect, it } from 'vitest'
import { observeHostnameOriginPull, observeZoneOriginPull } from '../../../src/origin-pull/observe.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { BASE_URL, failure, fakeApi, scriptedSend, success } from '../fakes.ts'

const URL = `${BASE_URL}/zones/${ZONE_ID}/origin_tls_client_auth`

describe('observing origin pulls (reads only)', () => {
  it('per hostname: the certificates, then each hostname', async () => {
    const send = scriptedSend(
      success([{ id: 'a', status: 'active' }]),
      success({ hostname: 'x.example.com', cert_id: 'a', status: 'active' }),
      failure(404, [{ code: 1404, message: 'none' }]),
    )
    const observed = await observeHostnameOriginPull(fakeApi(send).api, ZONE_ID, ['x.example.com', 'y.example.com'])
    expect(observed.assignments).toEqual([
      { hostname: 'x.example.com', certId: 'a', status: 'active' },
      { hostname: 'y.example.com' },
    ])
    expect(send.requests.map((r) => `${r.method} ${r.url.replace(URL, '')}`)).toEqual([
      'GET /hostnames/certificates',
      'GET /hostnames/x.example.com',
      'GET /hostnames/y.example.com',
    ])
  })

  it('zone-level: the certificates and whether it is on', async () => {
    const send = scriptedSend(success([]), success({ enabled: true }))
    expect(await observeZoneOriginPull(fakeApi(send).api, ZONE_ID)).toEqual({ certificates: [], enabled: true })
    expect(send.requests.every((r) => r.method === 'GET')).toBe(true)
  })
})
