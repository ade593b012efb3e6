import { afterEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { failed, judgeOlder, readRetireFacts, type RetireReads } from '../../../src/replace/read.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { NOW, fakeApi, scriptedSend, success } from '../fakes.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0'
const at = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
const old = { id: OLD, name: 'ca', ca: true, uploaded_on: at(NOW - 60_000) }
const newest = { id: NEW, name: 'ca', ca: true, uploaded_on: at(NOW) }
const target = { id: NEW, name: 'ca', ca: true, issuedAt: NOW - 86_400_000, uploadedOn: at(NOW) }

afterEach(() => {
  vi.restoreAllMocks()
})

describe('readRetireFacts', () => {
  it("reads an older certificate's associations, and nothing of a zone without one", async () => {
    const send = scriptedSend(success([{ service: 'gateway', status: 'active' }]))
    const { api } = fakeApi(send, { maxRetries: 0 })
    expect(await readRetireFacts({ api }, old, false)).toEqual({
      associations: [{ service: 'gateway', status: 'active' }],
    })
    expect(send.requests.map((request) => request.url)).toEqual([
      expect.stringMatching(new RegExp(`/mtls_certificates/${OLD}/associations$`)),
    ])
  })

  it("reads the old CA's hostnames first, and no associations when it keeps some the new CA does not serve", async () => {
    const send = scriptedSend(success({ hostnames: ['api.example.com', 'legacy.example.com'] }))
    const { api } = fakeApi(send, { maxRetries: 0 })
    const reads: RetireReads = {
      api,
      zone: { client: api.zoneHostnames(ZONE_ID), newServes: () => Promise.resolve(['api.example.com']) },
    }
    expect(await readRetireFacts(reads, old, false)).toEqual({
      zone: {
        zoneId: ZONE_ID,
        newServes: ['api.example.com'],
        oldHostnames: ['api.example.com', 'legacy.example.com'],
      },
    })
    expect(send.requests).toHaveLength(1)
  })

  it('after a detach, reads no associations while hostnames are to be given up; otherwise reads them', async () => {
    const zoneOf = (api: ReturnType<typeof fakeApi>['api']): NonNullable<RetireReads['zone']> => ({
      client: api.zoneHostnames(ZONE_ID),
      newServes: () => Promise.resolve(['api.example.com']),
    })
    const detaching = fakeApi(scriptedSend(success({ hostnames: ['api.example.com'] })), { maxRetries: 0 }).api
    expect(await readRetireFacts({ api: detaching, zone: zoneOf(detaching) }, old, true)).not.toHaveProperty(
      'associations',
    )
    const released = fakeApi(scriptedSend(success({ hostnames: ['api.example.com'] }), success([])), {
      maxRetries: 0,
    }).api
    expect(await readRetireFacts({ api: released, zone: zoneOf(released) }, old, false)).toMatchObject({
      associations: [],
    })
  })
})

describe('judgeOlder', () => {
  it('judges each older certificate, and keeps one whose judging failed, with the reason', async () => {
    const { api } = fakeApi(scriptedSend(), { maxRetries: 0 })
    const judged: string[] = []
    const replacements = await judgeOlder(api, [newest, old], target, (certificate) => {
      judged.push(certificate.id)
      return Promise.reject(new Error('zone read failed'))
    })
    expect(judged).toEqual([OLD])
    expect(replacements).toEqual([
      expect.objectContaining({ id: OLD, action: 'kept', reason: 'zone read failed', warn: true }),
    ])
  })

  it('keeps every older certificate unjudged, with a warning, when the listing lacks the new certificate', async () => {
    const warning = vi.spyOn(log, 'warning').mockImplementation(() => undefined)
    const { api } = fakeApi(scriptedSend(), { maxRetries: 0 })
    const judge = vi.fn()
    expect(await judgeOlder(api, [old], target, judge)).toEqual([
      {
        id: OLD,
        uploadedOn: old.uploaded_on,
        action: 'kept',
        reason: `the certificate replace rotates to, ${NEW}, is not in the listing`,
        warn: false,
      },
    ])
    expect(judge).not.toHaveBeenCalled()
    expect(warning.mock.calls[0]?.[0]).toBe(
      `Replace deletes nothing: the account's listing does not hold ${NEW}, the certificate it rotates to (deleted since it was uploaded, or the listing is incomplete), and without it the older certificates named 'ca' may be the only ones left. Check the account in the dashboard, and re-run the job to upload the certificate again if it is gone.`,
    )
  })
})

describe('failed', () => {
  it('keeps the certificate with the error as its reason, while time is left', () => {
    const { api } = fakeApi(scriptedSend(), { maxRetries: 0 })
    const base = { id: OLD, action: 'delete' as const, reason: '', warn: false }
    expect(failed(api, old, new Error('HTTP 500'), base)).toEqual({
      id: OLD,
      action: 'kept',
      reason: 'HTTP 500',
      warn: true,
    })
  })
})
