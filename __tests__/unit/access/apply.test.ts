import { describe, expect, it } from 'vitest'
import { applyAccessPlan, applyAccessStep, emptyAccessResult } from '../../../src/access/apply.ts'
import type { AccessSpec } from '../../../src/access/plan.ts'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import { ACCOUNT_ID, makeClient } from '../../../test-kit/fixtures.ts'
import { failure, fakeApi, json, operationError, scriptedSend, success } from '../fakes.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'
const owner = { accountId: ACCOUNT_ID }
const HOSTS = ['app.example.com']
const spec = (extra: Partial<AccessSpec> = {}): AccessSpec => ({
  name: 'partners-ca',
  certificate: makeClient().ca.pem,
  hostnames: HOSTS,
  retire: true,
  ...extra,
})

function api(...answers: HttpResponse[]) {
  const send = scriptedSend(...answers)
  return { api: fakeApi(send, { maxRetries: 0 }).api, requests: send.requests }
}

describe('applying an Access plan', () => {
  it('uploads, attaches and says each step as a line', async () => {
    const { api: client, requests } = api(
      success({ id: NEW, name: 'partners-ca' }),
      success({ id: NEW, associated_hostnames: HOSTS }),
    )
    const result = await applyAccessPlan(client, owner, spec(), [
      { action: 'upload', name: 'partners-ca', hostnames: [] },
      { action: 'attach', hostnames: HOSTS },
      { action: 'keep', id: OLD, name: 'old', reason: 'replace is off' },
    ])
    expect(result).toMatchObject({ id: NEW, uploaded: true, warnings: [] })
    expect(result.lines).toEqual([
      `Uploaded Access CA 'partners-ca' to account ${ACCOUNT_ID} as ${NEW}.`,
      `Attached app.example.com to Access CA 'partners-ca' (${NEW}).`,
      `Kept Access CA 'old' (${OLD}): replace is off.`,
    ])
    expect(JSON.parse(requests[0]?.body ?? '')).not.toHaveProperty('associated_hostnames')
  })

  it('reports a refused attach naming the CA that holds the hostnames, and goes no further', async () => {
    const taken = failure(400, [
      { code: 12137, message: 'hostname app.example.com is already associated with another certificate' },
    ])
    const listing = json(200, {
      success: true,
      errors: [],
      messages: [],
      result: [{ id: OLD, name: 'old-ca', associated_hostnames: HOSTS }],
      result_info: { total_count: 1 },
    })
    const { api: client, requests } = api(taken, listing)
    const result = { ...emptyAccessResult(), id: NEW }
    const error = await operationError(
      applyAccessStep(client, owner, spec(), { action: 'attach', hostnames: HOSTS }, result),
    )
    expect(error.message).toContain(
      `Cloudflare refused to give app.example.com to the new Access CA 'partners-ca' (${NEW}) while Access CA 'old-ca' (${OLD}) holds them`,
    )
    expect(error.message).toContain('set swap: detach-first')
    expect(requests.map((r) => r.method)).toEqual(['PUT', 'GET'])
  })

  it('passes the refusal on as it is with swap: detach-first, and refuses an attach with no id', async () => {
    const taken = failure(400, [
      { code: 12137, message: 'hostname app.example.com is already associated with another certificate' },
    ])
    const { api: client } = api(taken)
    const error = await operationError(
      applyAccessStep(
        client,
        owner,
        spec({ swap: 'detach-first' }),
        { action: 'attach', hostnames: HOSTS },
        { ...emptyAccessResult(), id: NEW },
      ),
    )
    expect(error.message).toMatch(/^Could not set the hostnames of Access CA/)
    await expect(
      applyAccessStep(client, owner, spec(), { action: 'attach', hostnames: HOSTS }, emptyAccessResult()),
    ).rejects.toThrow(/no id to attach/)
  })

  // swap: detach-first opens a gap for a moment, not for good: Cloudflare notices the detach late and may
  // refuse the attach as "already associated"; the attach is tried again, and if it never takes, the
  // old CA gets its hostnames back rather than leaving them with no CA.
  it('with swap: detach-first, retries a refused attach, then gives the hostnames back to the old CA', async () => {
    const taken = (): HttpResponse =>
      failure(400, [
        { code: 12137, message: 'hostname app.example.com is already associated with another certificate' },
      ])
    const send = scriptedSend(
      success({ id: OLD, name: 'old', associated_hostnames: HOSTS }),
      success({ id: OLD, associated_hostnames: [] }),
      ...Array.from({ length: 5 }, taken),
      success({ id: OLD, associated_hostnames: HOSTS }),
    )
    const client = fakeApi(send, { maxRetries: 0, timeoutSeconds: 600 }).api
    const steps = [
      { action: 'reuse' as const, id: NEW, name: 'partners-ca' },
      { action: 'detach' as const, id: OLD, name: 'old', keep: [], removed: HOSTS, gap: true },
      { action: 'attach' as const, hostnames: HOSTS },
    ]
    await expect(applyAccessPlan(client, owner, spec({ swap: 'detach-first' }), steps)).rejects.toThrow(
      /Gave app\.example\.com back to Access CA 'old'/,
    )
    const puts = send.requests.filter((r) => r.method === 'PUT')
    expect(puts.map((r) => r.url.includes(OLD))).toEqual([true, false, false, false, false, false, true])
    expect(JSON.parse(puts.at(-1)?.body ?? '{}')).toEqual({ associated_hostnames: HOSTS })
  })

  it('with swap: detach-first, attaches once Cloudflare has noticed the detach', async () => {
    const taken = failure(400, [{ code: 12137, message: 'hostname app.example.com is already associated' }])
    const send = scriptedSend(
      success({ id: OLD, name: 'old', associated_hostnames: HOSTS }),
      success({ id: OLD, associated_hostnames: [] }),
      taken,
      success({ id: NEW, associated_hostnames: HOSTS }),
    )
    const client = fakeApi(send, { maxRetries: 0, timeoutSeconds: 600 }).api
    const result = await applyAccessPlan(client, owner, spec({ swap: 'detach-first' }), [
      { action: 'reuse', id: NEW, name: 'partners-ca' },
      { action: 'detach', id: OLD, name: 'old', keep: [], removed: HOSTS, gap: true },
      { action: 'attach', hostnames: HOSTS },
    ])
    expect(result.lines.at(-1)).toBe(`Attached app.example.com to Access CA 'partners-ca' (${NEW}).`)
  })

  it('detaches what the old CA loses, keeping the rest as read right before, a hostname given to it since too', async () => {
    const { api: client, requests } = api(
      success({ id: OLD, name: 'old', associated_hostnames: [...HOSTS, 'other.example.com', 'new.example.com'] }),
      success({ id: OLD, associated_hostnames: ['other.example.com', 'new.example.com'] }),
    )
    const result = emptyAccessResult()
    await applyAccessStep(
      client,
      owner,
      spec(),
      { action: 'detach', id: OLD, name: 'old', keep: ['other.example.com'], removed: HOSTS, gap: false },
      result,
    )
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PUT'])
    expect(JSON.parse(requests[1]?.body ?? '')).toEqual({
      associated_hostnames: ['other.example.com', 'new.example.com'],
    })
    expect(result.lines).toEqual([`Detached app.example.com from Access CA 'old' (${OLD}).`])
  })

  it('detaches for two entries of one old CA one write at a time, neither putting back what the other took off', async () => {
    // The old CA served both entries' hostnames; Cloudflare reads the first detach late (a stale list).
    const both = ['a.example.com', 'b.example.com', 'c.example.com']
    const { api: client, requests } = api(
      success({ id: OLD, name: 'old', associated_hostnames: both }),
      success({ id: OLD, associated_hostnames: ['b.example.com', 'c.example.com'] }),
      success({ id: OLD, name: 'old', associated_hostnames: both }),
      success({ id: OLD, associated_hostnames: ['c.example.com'] }),
    )
    const detach = (removed: string[]) =>
      applyAccessStep(
        client,
        owner,
        spec(),
        { action: 'detach', id: OLD, name: 'old', keep: both.filter((h) => !removed.includes(h)), removed, gap: false },
        emptyAccessResult(),
      )
    await Promise.all([detach(['a.example.com']), detach(['b.example.com'])])
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET', 'PUT'])
    expect(JSON.parse(requests[3]?.body ?? '')).toEqual({ associated_hostnames: ['c.example.com'] })
  })

  it('keeps when Cloudflare stored the CA, uploaded or reused, when it says', async () => {
    const { api: client } = api(success({ id: NEW, name: 'partners-ca', created_at: '2026-12-07T20:00:00Z' }))
    const uploaded = emptyAccessResult()
    await applyAccessStep(client, owner, spec(), { action: 'upload', name: 'partners-ca', hostnames: HOSTS }, uploaded)
    expect(uploaded).toMatchObject({ id: NEW, uploaded: true, uploadedOn: '2026-12-07T20:00:00Z' })
    const reused = emptyAccessResult()
    const reuse = { action: 'reuse' as const, id: OLD, name: 'partners-ca', uploadedOn: '2025-01-01T00:00:00Z' }
    await applyAccessStep(client, owner, spec(), reuse, reused)
    expect(reused).toMatchObject({ id: OLD, uploaded: false, uploadedOn: '2025-01-01T00:00:00Z' })
    const unsaid = emptyAccessResult()
    await applyAccessStep(client, owner, spec(), { action: 'reuse', id: OLD, name: 'partners-ca' }, unsaid)
    expect(unsaid).not.toHaveProperty('uploadedOn')
  })

  it('says the hostnames an attach takes off the reused CA', async () => {
    const { api: client, requests } = api(success({ id: OLD, associated_hostnames: HOSTS }))
    const result = { ...emptyAccessResult(), id: OLD }
    await applyAccessStep(
      client,
      owner,
      spec(),
      { action: 'attach', hostnames: HOSTS, drops: ['extra.example.com'] },
      result,
    )
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({ associated_hostnames: HOSTS })
    expect(result.lines).toEqual([
      `Attached app.example.com to Access CA 'partners-ca' (${OLD}).`,
      `Took extra.example.com off Access CA 'partners-ca' (${OLD}): the entry does not list them, and this run gives them to no other CA.`,
    ])
  })
})
