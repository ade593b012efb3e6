import { describe, expect, it } from 'vitest'
import { retireAccessCertificate } from '../../../src/access/retire.ts'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import { ACCOUNT_ID } from '../../../test-kit/fixtures.ts'
import { failure, fakeApi, scriptedSend, success } from '../fakes.ts'

/** Retiring an Access CA as Cloudflare allows it: detach, read until empty, delete through "active associations". */

const ID = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'
const owner = { accountId: ACCOUNT_ID }
const ca = (hostnames: string[]): HttpResponse => success({ id: ID, name: 'old', associated_hostnames: hostnames })
const associations = (): HttpResponse => failure(400, [{ code: 12136, message: 'certificate has active associations' }])
/** The CA the old one was replaced by, as read before the detach. */
const SUCCESSOR = 'b2134436-2555-4acf-be5b-26c48136575e'
const successor = (): HttpResponse => success({ id: SUCCESSOR, name: 'old', associated_hostnames: ['a.example.com'] })

function retire(answers: HttpResponse[], timeoutSeconds = 120) {
  const send = scriptedSend(...answers)
  const { api, clock } = fakeApi(send, { maxRetries: 0, timeoutSeconds })
  return {
    done: retireAccessCertificate(api, owner, { id: ID, name: 'old', hostnames: ['a.example.com'] }, SUCCESSOR),
    send,
    clock,
  }
}

describe('retireAccessCertificate', () => {
  it('detaches, reads until the hostnames read empty, retries the delete, and backs off 2 s, 4 s …', async () => {
    const { done, send, clock } = retire([
      ca(['a.example.com']),
      successor(),
      ca([]),
      ca(['a.example.com']),
      ca([]),
      associations(),
      associations(),
      success({ id: ID }),
    ])
    expect(await done).toEqual({ id: ID, outcome: 'deleted', waitedMs: 8000 })
    expect(send.requests.map((r) => r.method)).toEqual([
      'GET',
      'GET',
      'PUT',
      'GET',
      'GET',
      'DELETE',
      'DELETE',
      'DELETE',
    ])
    expect(send.requests[1]?.url).toContain(SUCCESSOR)
    expect(clock.sleeps).toEqual([2000, 2000, 4000])
  })

  it('counts a CA already gone as deleted', async () => {
    const { done, send } = retire([failure(404, [{ code: 12130, message: 'not found' }])])
    expect((await done).outcome).toBe('deleted')
    expect(send.requests).toHaveLength(1)
  })

  it('keeps the CA, named, when the next wait would outlast timeout-seconds', async () => {
    const { done, clock } = retire([ca([]), ca([]), associations(), associations()], 5)
    const outcome = await done
    expect(outcome).toEqual({
      id: ID,
      outcome: 'kept',
      reason: expect.stringContaining(
        `Access CA 'old' (${ID}) was kept for a later run: Cloudflare refused the delete`,
      ) as string,
    })
    expect(clock.sleeps).toEqual([2000])
  })

  it('keeps the CA after 5 reads that still list hostnames, and after 5 refused deletes', async () => {
    const reads = retire([ca([]), ...Array.from({ length: 5 }, () => ca(['a.example.com']))], 600)
    const stale = await reads.done
    expect(stale).toMatchObject({ outcome: 'kept', reason: expect.stringContaining('after 5 reads') as string })
    // Four waits between five reads: none after the last, which nothing reads after.
    expect(reads.clock.sleeps).toEqual([2000, 4000, 8000, 16000])
    const refused = await retire([ca([]), ca([]), ...Array.from({ length: 5 }, associations)], 600).done
    expect(refused).toMatchObject({ outcome: 'kept', reason: expect.stringContaining('after 5 attempts') as string })
  })

  it('keeps a CA that was given a hostname since the run read it, without detaching anything', async () => {
    const { done, send } = retire([ca(['a.example.com', 'new.example.com'])])
    expect(await done).toMatchObject({
      outcome: 'kept',
      reason: expect.stringContaining('it now serves new.example.com') as string,
    })
    // A later run keeps it too (it serves a hostname outside the entry): the warning promises none.
    const { reason } = (await done) as { reason: string }
    expect(reason).not.toContain('for a later run')
    expect(reason).toContain('Move them off it on purpose (or add them to the entry), then re-run')
    expect(send.requests.map((r) => r.method)).toEqual(['GET'])
  })

  // Fail closed: an answer without the CA's hostnames is no permission to detach hostnames the run never saw.
  it('keeps a CA whose answer holds no list of hostnames, without detaching anything', async () => {
    const { done, send } = retire([success({ id: ID, name: 'old' })])
    expect(await done).toMatchObject({ outcome: 'kept' })
    expect(send.requests.map((r) => r.method)).toEqual(['GET'])
  })

  // Only the entry's own earlier CAs are retired: one renamed since (another team took it over) is not.
  it('keeps a CA that reads with another name than the one planned, without detaching anything', async () => {
    const { done, send } = retire([success({ id: ID, name: 'other-team', associated_hostnames: [] })])
    expect(await done).toMatchObject({ outcome: 'kept', reason: expect.stringContaining('other-team') as string })
    expect(send.requests.map((r) => r.method)).toEqual(['GET'])
  })

  // Post step, after the deploy: someone gave app back to the old CA (off the new one). Detaching it
  // now would leave the hostname with no CA; it is kept, nothing detached.
  it('keeps a CA still serving a hostname the CA it was replaced by does not hold', async () => {
    const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
    const send = scriptedSend(ca(['a.example.com']), success({ id: NEW, name: 'old', associated_hostnames: [] }))
    const { api } = fakeApi(send, { maxRetries: 0, timeoutSeconds: 120 })
    const planned = { id: ID, name: 'old', hostnames: ['a.example.com'] }
    const outcome = await retireAccessCertificate(api, owner, planned, NEW)
    expect(outcome).toMatchObject({ outcome: 'kept', reason: expect.stringContaining('a.example.com') as string })
    expect(send.requests.map((r) => r.method)).toEqual(['GET', 'GET'])
  })

  it('detaches what the CA it was replaced by holds too (a detach Cloudflare has not noticed yet)', async () => {
    const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
    const newCa = success({ id: NEW, name: 'old', associated_hostnames: ['A.example.com'] })
    const send = scriptedSend(ca(['a.example.com']), newCa, ca([]), ca([]), success({ id: ID }))
    const { api } = fakeApi(send, { maxRetries: 0, timeoutSeconds: 120 })
    const planned = { id: ID, name: 'old', hostnames: ['a.example.com'] }
    expect(await retireAccessCertificate(api, owner, planned, NEW)).toMatchObject({ outcome: 'deleted' })
  })

  it('fails on any other refusal of the delete', async () => {
    const { done } = retire([ca([]), ca([]), failure(403, [{ code: 10000, message: 'Authentication error' }])])
    await expect(done).rejects.toThrow(/Could not delete Access CA/)
  })
})
