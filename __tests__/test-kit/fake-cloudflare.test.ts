import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, makeClient, startFake } from '../../test-kit/fixtures.ts'

/** The stand-in answers as Cloudflare does: UUID ids, timestamps in microseconds, fields of its own reading. */

let fake: FakeCloudflare
beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

describe('the stand-in', () => {
  it('gives an upload a UUID and strictly increasing upload times in microseconds', async () => {
    const uploaded: { id: string; uploaded_on: string; expires_on: string; serial_number: string }[] = []
    for (let i = 0; i < 3; i++) {
      const { client } = makeClient('ec')
      const response = await fetch(`${fake.url}/accounts/${ACCOUNT_ID}/mtls_certificates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ca: true, certificates: client.pem }),
      })
      expect(response.status).toBe(200)
      const body = (await response.json()) as { result: (typeof uploaded)[number] }
      uploaded.push(body.result)
    }
    for (const certificate of uploaded) {
      expect(certificate.id).toMatch(UUID)
      expect(certificate.uploaded_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
      expect(certificate.expires_on).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(certificate.serial_number).toMatch(/^\d+$/)
    }
    const times = uploaded.map((certificate) => certificate.uploaded_on)
    expect([...times].sort()).toEqual(times)
    expect(new Set(times).size).toBe(3)
    // An id in the path is checked against the OpenAPI, which allows a UUID despite its 32-character limit.
    const read = await fetch(`${fake.url}/accounts/${ACCOUNT_ID}/mtls_certificates/${uploaded[0]?.id ?? ''}`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    })
    expect(read.status).toBe(200)
    expect(fake.specViolations).toEqual([])
  })
})
