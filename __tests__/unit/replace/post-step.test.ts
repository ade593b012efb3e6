import { afterEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { finishRotation } from '../../../src/replace/post-step.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { NOW, fakeApi, scriptedSend, success } from '../fakes.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0'
const at = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
const newest = { id: NEW, name: 'payments', ca: false, uploaded_on: at(NOW) }
const old = { id: OLD, name: 'payments', ca: false, uploaded_on: at(NOW - 60_000) }
const target = { id: NEW, name: 'payments', ca: false, issuedAt: NOW - 86_400_000, uploadedOn: at(NOW) }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('finishRotation', () => {
  it('lists the account now and deletes the older certificate no service uses, saying so', async () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined)
    const send = scriptedSend(success([newest, old]), success([]), success({ id: OLD }))
    const { api } = fakeApi(send, { maxRetries: 0 })
    const replacements = await finishRotation(api, target, { api })
    expect(
      send.requests.map((request) => `${request.method} ${request.url.replace(/^.*\/mtls_certificates/, '')}`),
    ).toEqual(['GET ?type=custom', `GET /${OLD}/associations`, `DELETE /${OLD}`])
    expect(replacements).toEqual([expect.objectContaining({ id: OLD, action: 'deleted' })])
    expect(info.mock.calls[0]?.[0]).toBe(
      `Replace, at the end of the job: deleting the certificates named 'payments' uploaded before ${NEW} that no service uses now.`,
    )
  })

  it('says when no older certificate is left, and names the zone it detaches hostnames from', async () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined)
    const send = scriptedSend(success([newest]))
    const { api } = fakeApi(send, { maxRetries: 0 })
    const zone = { client: api.zoneHostnames(ZONE_ID), newServes: () => Promise.resolve([]) }
    expect(await finishRotation(api, target, { api, zone })).toEqual([])
    expect(info.mock.calls.map(([line]) => line)).toEqual([
      `Replace, at the end of the job: deleting the certificates named 'payments' uploaded before ${NEW} that no service uses now, first detaching from them the hostnames of zone ${ZONE_ID} that ${NEW} serves.`,
      "No older certificate named 'payments' is left to delete.",
    ])
  })
})
