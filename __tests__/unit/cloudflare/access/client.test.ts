import { describe, expect, it } from 'vitest'
import {
  deleteAccessCertificate,
  listAccessCertificates,
  readAccessCertificate,
  refusedForAssociations,
  refusedForTakenHostname,
  setAccessHostnames,
  uploadAccessCertificate,
} from '../../../../src/cloudflare/access/client.ts'
import type { HttpResponse } from '../../../../src/cloudflare/http.ts'
import { ACCOUNT_ID, ZONE_ID } from '../../../../test-kit/fixtures.ts'
import {
  BASE_URL,
  connectionReset,
  failure,
  fakeApi,
  operationError,
  scriptedSend,
  success,
  json,
} from '../../fakes.ts'

/** The Access client: pages read to the end, writes that look before repeating, refusals told apart. */

const ID = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'
const ACCOUNT_URL = `${BASE_URL}/accounts/${ACCOUNT_ID}/access/certificates`
const page = (result: unknown[], total: number): HttpResponse =>
  json(200, { success: true, errors: [], messages: [], result, result_info: { total_count: total } })

function client(...answers: (HttpResponse | Error)[]) {
  const send = scriptedSend(...answers)
  return { api: fakeApi(send, { maxRetries: 2 }).api, requests: send.requests }
}

describe('the Access client', () => {
  it('lists every page, account-wide or in a zone', async () => {
    const first = Array.from({ length: 50 }, (_, i) => ({ id: `a${i}` }))
    const { api, requests } = client(page(first, 51), page([{ id: 'last' }], 51))
    expect(await listAccessCertificates(api, { accountId: ACCOUNT_ID })).toHaveLength(51)
    expect(requests.map((r) => r.url)).toEqual([
      `${ACCOUNT_URL}?page=1&per_page=50`,
      `${ACCOUNT_URL}?page=2&per_page=50`,
    ])
    const zone = client(page([], 0))
    await listAccessCertificates(zone.api, { zoneId: ZONE_ID })
    expect(zone.requests[0]?.url).toBe(`${BASE_URL}/zones/${ZONE_ID}/access/certificates?page=1&per_page=50`)
  })

  it('refuses a listing of another shape', async () => {
    const { api } = client(success({ certificates: [] }))
    expect((await operationError(listAccessCertificates(api, { accountId: ACCOUNT_ID }))).message).toContain(
      'not a list of Access certificates',
    )
  })

  it('uploads once: after a lost answer it finds the CA in the listing instead of posting again', async () => {
    const { api, requests } = client(
      connectionReset(AbortSignal.timeout(1000)),
      page([{ id: ID, fingerprint: 'ab' }], 1),
    )
    const stored = await uploadAccessCertificate(
      api,
      { accountId: ACCOUNT_ID },
      { certificate: 'PEM', name: 'ca', associatedHostnames: ['a.example.com'] },
      (all) => all.find((c) => c.fingerprint === 'ab'),
    )
    expect(stored.id).toBe(ID)
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET'])
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      certificate: 'PEM',
      name: 'ca',
      associated_hostnames: ['a.example.com'],
    })
  })

  it("sets a CA's whole list, reads one as absent on 404, and deletes", async () => {
    const { api, requests } = client(
      success({ id: ID, associated_hostnames: [] }),
      failure(404, [{ code: 12130, message: 'not found' }]),
      success({ id: ID }),
    )
    expect((await setAccessHostnames(api, { accountId: ACCOUNT_ID }, ID, [])).associatedHostnames).toEqual([])
    expect(await readAccessCertificate(api, { accountId: ACCOUNT_ID }, ID)).toBe('absent')
    await deleteAccessCertificate(api, { accountId: ACCOUNT_ID }, ID)
    expect(requests.map((r) => [r.method, r.url.replace(ACCOUNT_URL, '')])).toEqual([
      ['PUT', `/${ID}`],
      ['GET', `/${ID}`],
      ['DELETE', `/${ID}`],
    ])
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ associated_hostnames: [] })
  })

  it('refuses an id that is not one Cloudflare gives, before any request', async () => {
    const { api, requests } = client()
    await expect(deleteAccessCertificate(api, { accountId: ACCOUNT_ID }, '../x')).rejects.toThrow(
      /Refused to send a request/,
    )
    expect(requests).toEqual([])
  })

  it('tells "active associations" from a hostname another CA holds', async () => {
    const associations = client(failure(400, [{ code: 12136, message: 'certificate has active associations' }]))
    const error = await operationError(deleteAccessCertificate(associations.api, { accountId: ACCOUNT_ID }, ID))
    expect(refusedForAssociations(error)).toBe(true)
    const taken = client(
      failure(400, [{ code: 12137, message: 'hostname a.example.com is already associated with another certificate' }]),
    )
    const refused = await operationError(
      setAccessHostnames(taken.api, { accountId: ACCOUNT_ID }, ID, ['a.example.com']),
    )
    expect(refusedForTakenHostname(refused)).toBe(true)
    expect(refusedForAssociations(new Error('associations'))).toBe(false)
  })
})
