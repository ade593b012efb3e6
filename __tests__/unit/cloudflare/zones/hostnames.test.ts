import { describe, expect, it } from 'vitest'
import type { Credentials } from '../../../../src/cloudflare/settings.ts'
import type { HttpResponse } from '../../../../src/cloudflare/http.ts'
import { API_EMAIL, API_KEY, ZONE_ID } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, failure, fakeApi, operationError, scriptedSend, success } from '../../fakes.ts'

/** The zone client of CloudflareApi: every request names the CA, answers of odd shape are refused. */

const CA = 'b2134436-2555-4acf-be5b-26c48136575e'
const ZONE_URL = `${BASE_URL}/zones/${ZONE_ID}/certificate_authorities/hostname_associations`

/** A zone client whose requests are answered in turn by `answers` and recorded. */
function client(answers: HttpResponse[], credentials?: Credentials) {
  const send = scriptedSend(...answers)
  const { api } = fakeApi(send, { maxRetries: 2, ...(credentials ? { credentials } : {}) })
  return { zone: api.zoneHostnames(ZONE_ID), requests: send.requests }
}

describe('the zone hostnames client', () => {
  it('reads a CA’s hostnames with its id in the query', async () => {
    const { zone, requests } = client([success({ hostnames: ['api.example.com'] })])
    expect(await zone.read(CA)).toEqual(['api.example.com'])
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', `${ZONE_URL}?mtls_certificate_id=${CA}`, undefined],
    ])
  })

  it('writes a CA’s whole list with its id in the body', async () => {
    const { zone, requests } = client([success({ hostnames: ['api.example.com'] })])
    await zone.write(CA, ['api.example.com'])
    expect(requests[0]?.method).toBe('PUT')
    expect(requests[0]?.url).toBe(ZONE_URL)
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ hostnames: ['api.example.com'], mtls_certificate_id: CA })
    expect(requests[0]?.headers['content-type']).toBe('application/json')
  })

  it.each(['', '..', 'managed', `${CA}&mtls_certificate_id=`])(
    'sends nothing for the certificate id %j: without a valid id the call would act on the managed CA',
    async (id) => {
      const { zone, requests } = client([])
      await operationError(zone.read(id))
      await operationError(zone.write(id, []))
      expect(requests).toEqual([])
    },
  )

  it('accepts 32 hex digits as well as a UUID', async () => {
    const { zone, requests } = client([success({ hostnames: [] })])
    await zone.read('0f1e2d3c4b5a69788796a5b4c3d2e1f0')
    expect(requests).toHaveLength(1)
  })

  it.each([[{}], [{ hostnames: null }]])(
    'reads the answer %j, which the OpenAPI allows, as no hostname for a CA this run just uploaded',
    async (result: unknown) => {
      const { zone } = client([success(result)])
      expect(await zone.read(CA, true)).toEqual([])
    },
  )

  it.each([[{ hostnames: 'api.example.com' }], [{ hostnames: [1] }], [null], [[]]])(
    'refuses the answer %j even for a CA this run just uploaded',
    async (result: unknown) => {
      const { zone } = client([success(result)])
      expect((await operationError(zone.read(CA, true))).message).toMatch(/no list of hostnames/)
    },
  )

  it.each([[{}], [{ hostnames: null }], [{ hostnames: 'api.example.com' }], [{ hostnames: [1] }], [null], [[]]])(
    'refuses the answer %j for an adopted CA rather than reading it as no hostname',
    async (result: unknown) => {
      const { zone } = client([success(result)])
      expect((await operationError(zone.read(CA))).message).toMatch(/no list of hostnames/)
    },
  )

  it('retries a write that met a server error: it replaces the whole list, so a repeat is harmless', async () => {
    const { zone, requests } = client([
      failure(503, [{ code: 10001, message: 'unavailable' }]),
      success({ hostnames: [] }),
    ])
    await zone.write(CA, [])
    expect(requests.map((r) => r.method)).toEqual(['PUT', 'PUT'])
  })

  it('names the zone permission of the auth in use when refused', async () => {
    const refused = failure(403, [{ code: 10000, message: 'Authentication error' }])
    const token = await operationError(client([refused]).zone.write(CA, []))
    expect(token.message).toContain(`set the hostnames of CA ${CA} in zone ${ZONE_ID}`)
    expect(token.message).toContain('"Zone → SSL and Certificates → Edit"')
    expect(token.message).not.toContain('Account: SSL and Certificates: Edit" on this account')
    const key = await operationError(
      client([refused], { kind: 'global-key', email: API_EMAIL, key: API_KEY }).zone.read(CA),
    )
    expect(key.message).toContain('user of api-email needs a role on zone')
  })

  it('points at zone-id for a zone it cannot route to, and says nothing of permissions for other refusals', async () => {
    const unrouted = await operationError(
      client([failure(403, [{ code: 7003, message: 'Could not route' }])]).zone.read(CA),
    )
    expect(unrouted.message).toContain(`Check zone-id: ${ZONE_ID}`)
    const invalid = await operationError(client([failure(400, [{ code: 1001, message: 'bad' }])]).zone.write(CA, []))
    expect(invalid.message).not.toMatch(/permission|zone-id/)
  })
})
