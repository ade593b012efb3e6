import { describe, expect, it } from 'vitest'
import { replaceOlder } from '../../../src/replace/replace-older.ts'
import type { RetireReads } from '../../../src/replace/read.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { NOW, failure, fakeApi, scriptedSend, success } from '../fakes.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0'
const at = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
const certificates = [
  { id: NEW, name: 'ca', ca: true, uploaded_on: at(NOW) },
  { id: OLD, name: 'ca', ca: true, uploaded_on: at(NOW - 60_000) },
]
const target = { id: NEW, name: 'ca', ca: true, issuedAt: NOW - 86_400_000, uploadedOn: at(NOW) }

describe('replace with API Shield', () => {
  it('keeps the old CA, with a warning, when a zone call answers 404: that says nothing of the certificate', async () => {
    const send = scriptedSend(failure(404, [{ code: 7000, message: 'No route for that URI' }]))
    const { api } = fakeApi(send, { maxRetries: 0 })
    const reads: RetireReads = {
      api,
      zone: { client: api.zoneHostnames(ZONE_ID), newServes: () => Promise.resolve(['api.example.com']) },
    }
    const [replacement] = await replaceOlder(reads, certificates, target)
    expect(send.requests.map((r) => r.method)).toEqual(['GET'])
    expect(replacement).toMatchObject({ id: OLD, action: 'kept', warn: true })
  })

  it('reads the new CA again just before deleting an old one, and keeps the old one when a hostname it gave up is gone from the new', async () => {
    // Old CA's hostnames, the detach, its associations (none): then, before the delete, the new CA's list.
    const send = scriptedSend(success({ hostnames: ['api.example.com'] }), success({ hostnames: [] }), success([]))
    const { api } = fakeApi(send, { maxRetries: 0 })
    // Another run rewrote the new CA's list between this run's detach and its delete.
    const reads = [['api.example.com'], []]
    const retireReads: RetireReads = {
      api,
      zone: { client: api.zoneHostnames(ZONE_ID), newServes: () => Promise.resolve(reads.shift() ?? []) },
    }
    const [replacement] = await replaceOlder(retireReads, certificates, target)
    expect(send.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET'])
    expect(replacement).toMatchObject({ id: OLD, action: 'kept', warn: true })
    expect(replacement?.reason).toMatch(
      /the new CA no longer serves api\.example\.com \(another run may have rewritten/,
    )
    expect(reads).toEqual([])
  })
})
