import { describe, expect, it } from 'vitest'
import {
  assignHostnames,
  deleteHostnameOriginCertificate,
  isHostname,
  listHostnameOriginCertificates,
  readHostnameOriginCertificate,
  readHostnameAssignment,
  uploadHostnameOriginCertificate,
} from '../../../../src/cloudflare/origin-pull/hostnames.ts'
import type { HttpResponse } from '../../../../src/cloudflare/http.ts'
import { ZONE_ID, makeClient } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, connectionReset, failure, fakeApi, scriptedSend, success } from '../../fakes.ts'

const ID = '2458ce5a0c354c7f82c78e9487d3ff60'
const URL = `${BASE_URL}/zones/${ZONE_ID}/origin_tls_client_auth/hostnames`

function client(...answers: (HttpResponse | Error)[]) {
  const send = scriptedSend(...answers)
  return { api: fakeApi(send, { maxRetries: 2 }).api, requests: send.requests }
}

describe('per-hostname origin pull client', () => {
  it('assigns hostnames (null voids one), reads one back, and reads a hostname without one as none', async () => {
    const { api, requests } = client(
      success([{ hostname: 'a.example.com', cert_id: ID, status: 'initializing', enabled: true }]),
      success({ hostname: 'a.example.com', cert_id: ID, status: 'active', enabled: true }),
      failure(404, [{ code: 1404, message: 'No hostname association found' }]),
    )
    const assigned = await assignHostnames(api, ZONE_ID, [
      { hostname: 'a.example.com', certId: ID, enabled: true },
      { hostname: 'b.example.com', certId: ID, enabled: null },
    ])
    expect(assigned).toEqual([{ hostname: 'a.example.com', certId: ID, status: 'initializing', enabled: true }])
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      config: [
        { hostname: 'a.example.com', cert_id: ID, enabled: true },
        { hostname: 'b.example.com', cert_id: ID, enabled: null },
      ],
    })
    expect((await readHostnameAssignment(api, ZONE_ID, 'a.example.com')).status).toBe('active')
    expect(await readHostnameAssignment(api, ZONE_ID, 'b.example.com')).toEqual({ hostname: 'b.example.com' })
    expect(requests.map((r) => `${r.method} ${r.url.replace(URL, '')}`)).toEqual([
      'PUT ',
      'GET /a.example.com',
      'GET /b.example.com',
    ])
  })

  it('refuses what is not a hostname before any request', async () => {
    const { api, requests } = client()
    expect(isHostname('*.example.com')).toBe(true)
    expect(isHostname('certificates')).toBe(false)
    await expect(readHostnameAssignment(api, ZONE_ID, 'a.example.com/../x')).rejects.toThrow(/it is not a hostname/)
    expect(requests).toEqual([])
  })

  it('uploads once after a lost answer, and deletes (treating gone after a lost answer as deleted)', async () => {
    const { client: leaf, keyPem } = makeClient()
    const { api, requests } = client(
      connectionReset(AbortSignal.timeout(1000)),
      success([{ id: ID, status: 'active', certificate: leaf.pem }]),
      connectionReset(AbortSignal.timeout(1000)),
      failure(404, [{ code: 1404, message: 'Certificate not found' }]),
    )
    const stored = await uploadHostnameOriginCertificate(
      api,
      ZONE_ID,
      { certificate: leaf.pem, privateKey: keyPem },
      (all) => all[0],
    )
    expect(stored.id).toBe(ID)
    await deleteHostnameOriginCertificate(api, ZONE_ID, ID)
    expect(requests.map((r) => `${r.method} ${r.url.replace(URL, '')}`)).toEqual([
      'POST /certificates',
      'GET /certificates',
      `DELETE /certificates/${ID}`,
      `GET /certificates/${ID}`,
    ])
    expect(await listHostnameOriginCertificates(client(success([])).api, ZONE_ID)).toEqual([])
    const read = client(
      success({ id: ID, status: 'active' }),
      failure(404, [{ code: 1404, message: 'Certificate not found' }]),
    )
    expect(await readHostnameOriginCertificate(read.api, ZONE_ID, ID)).toEqual({ id: ID, status: 'active' })
    expect(await readHostnameOriginCertificate(read.api, ZONE_ID, ID)).toBe('absent')
  })
})
