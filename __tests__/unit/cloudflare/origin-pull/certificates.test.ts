import { describe, expect, it } from 'vitest'
import {
  deleteOriginCertificate,
  listOriginCertificates,
  readOriginCertificate,
  uploadOriginCertificate,
  type OriginPullKind,
} from '../../../../src/cloudflare/origin-pull/certificates.ts'
import type { HttpResponse } from '../../../../src/cloudflare/http.ts'
import { ZONE_ID } from '../../../../test-kit/fixtures.ts'
import { BASE_URL, failure, fakeApi, scriptedSend, success } from '../../fakes.ts'

const ID = '2458ce5a0c354c7f82c78e9487d3ff60'
const KEY = '-----BEGIN EC ' + 'PRIVATE KEY-----\nnot-a-key\n-----END EC ' + 'PRIVATE KEY-----\n'

/** A kind of its own: the shared calls take every path and name from it. */
const KIND: OriginPullKind = {
  listPath: (zone) => `/zones/${zone}/kind`,
  certificatePath: (zone, id) => `/zones/${zone}/kind/${id}`,
  answer: 'read the kind',
  what: {
    list: (zone) => `list kind of ${zone}`,
    upload: (zone) => `upload kind to ${zone}`,
    read: (id) => `read kind ${id}`,
    delete: (id) => `delete kind ${id}`,
  },
}

function client(...answers: HttpResponse[]) {
  const send = scriptedSend(...answers)
  return { api: fakeApi(send, { maxRetries: 0 }).api, requests: send.requests }
}

describe("the origin pull certificates' calls, for a kind", () => {
  it("lists, uploads, reads and deletes at the kind's paths, the key sent only in the upload", async () => {
    const { api, requests } = client(
      success([{ id: ID, status: 'active' }]),
      success({ id: ID, status: 'initializing' }),
      success({ id: ID, status: 'active' }),
      success({ id: ID }),
    )
    expect(await listOriginCertificates(api, KIND, ZONE_ID)).toEqual([{ id: ID, status: 'active' }])
    const upload = { certificate: 'PEM', privateKey: KEY }
    expect(await uploadOriginCertificate(api, KIND, ZONE_ID, upload, () => undefined)).toEqual({
      id: ID,
      status: 'initializing',
    })
    expect(await readOriginCertificate(api, KIND, ZONE_ID, ID)).toEqual({ id: ID, status: 'active' })
    await deleteOriginCertificate(api, KIND, ZONE_ID, ID)
    expect(requests.map((r) => `${r.method} ${r.url.replace(BASE_URL, '')}`)).toEqual([
      `GET /zones/${ZONE_ID}/kind`,
      `POST /zones/${ZONE_ID}/kind`,
      `GET /zones/${ZONE_ID}/kind/${ID}`,
      `DELETE /zones/${ZONE_ID}/kind/${ID}`,
    ])
    expect(requests.filter((r) => r.body?.includes('not-a-key')).map((r) => r.method)).toEqual(['POST'])
  })

  it('reads a certificate that is not there as absent, and refuses an id that is not one before any request', async () => {
    const { api, requests } = client(failure(404, [{ code: 1000, message: 'not found' }]))
    expect(await readOriginCertificate(api, KIND, ZONE_ID, ID)).toBe('absent')
    await expect(deleteOriginCertificate(api, KIND, ZONE_ID, '../x')).rejects.toThrow()
    expect(requests).toHaveLength(1)
  })
})
