import { describe, expect, it } from 'vitest'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import {
  applyOriginPullStep,
  emptyOriginPullResult,
  type OriginPullApplied,
  type OriginPullTarget,
} from '../../../src/origin-pull/apply.ts'
import type { OriginPullStep } from '../../../src/origin-pull/plan.ts'
import { ZONE_ID, makeClient } from '../../../test-kit/fixtures.ts'
import { failure, fakeApi, operationError, scriptedSend, success } from '../fakes.ts'

/** The steps run in order, as the store's steps run them; a failed wait stops it before any delete. */
async function applyOriginPullPlan(
  api: Parameters<typeof applyOriginPullStep>[0],
  target: OriginPullTarget,
  steps: readonly OriginPullStep[],
): Promise<OriginPullApplied> {
  const result = emptyOriginPullResult()
  for (const step of steps) await applyOriginPullStep(api, target, step, result)
  return result
}

const NEW = '2458ce5a0c354c7f82c78e9487d3ff60'
const OLD = '0123456789abcdef0123456789abcdef'
const fixture = makeClient()

function api(...answers: HttpResponse[]) {
  const send = scriptedSend(...answers)
  return { client: fakeApi(send, { maxRetries: 0 }).api, requests: send.requests }
}
const target = (hostnames: string[]) => ({
  zoneId: ZONE_ID,
  privateKey: fixture.keyPem,
  spec: { certificate: fixture.client.pem, hostnames, retire: true },
})

describe('applying an origin pull plan', () => {
  it('per hostname: uploads, points, waits, then deletes the old certificate, the key only in the upload', async () => {
    const { client, requests } = api(
      success({ id: NEW, status: 'initializing', uploaded_on: '2026-12-07T20:00:00Z' }),
      success([{ hostname: 'a.example.com', cert_id: NEW, status: 'initializing', enabled: true }]),
      success({ hostname: 'a.example.com', cert_id: NEW, status: 'active', enabled: true }),
      success({ hostname: 'a.example.com', cert_id: NEW, status: 'active', enabled: true }),
      success({ id: OLD, status: 'pending_deletion' }),
    )
    const result = await applyOriginPullPlan(client, target(['a.example.com']), [
      { action: 'upload' },
      { action: 'attach', hostnames: ['a.example.com'] },
      { action: 'wait', hostnames: ['a.example.com'] },
      { action: 'retire', id: OLD, reason: 'it served a.example.com' },
    ])
    expect(result).toMatchObject({
      id: NEW,
      uploaded: true,
      uploadedOn: '2026-12-07T20:00:00Z',
      deleted: [OLD],
      warnings: [],
    })
    expect(requests.map((r) => r.method)).toEqual(['POST', 'PUT', 'GET', 'GET', 'DELETE'])
    const line = fixture.keyPem.split('\n')[1] ?? ''
    expect(requests.filter((r) => r.body?.includes(line)).map((r) => r.method)).toEqual(['POST'])
    expect(JSON.stringify(result)).not.toContain(line)
  })

  it('keeps the old certificate while a hostname still points at it, and never deletes its own', async () => {
    const { client, requests } = api(
      success({ hostname: 'a.example.com', cert_id: OLD, status: 'active', enabled: true }),
    )
    const result = { ...emptyOriginPullResult(), id: NEW }
    await applyOriginPullStep(client, target(['a.example.com']), { action: 'retire', id: OLD, reason: '' }, result)
    expect(result.warnings).toEqual([
      `Origin pull certificate ${OLD} was kept: a.example.com still read as pointing at it; a later run deletes it once none does.`,
    ])
    expect(requests.map((r) => r.method)).toEqual(['GET'])
    await expect(
      applyOriginPullStep(client, target([]), { action: 'retire', id: NEW, reason: '' }, result),
    ).rejects.toThrow(/it is the one this entry uploads/)
  })

  // Fail closed: a read that does not say which certificate the hostname uses is no permission to delete.
  it('keeps the old certificate when a hostname reads without the certificate it points at', async () => {
    const { client, requests } = api(success({ hostname: 'a.example.com', status: 'active', enabled: true }))
    const result = { ...emptyOriginPullResult(), id: NEW }
    await applyOriginPullStep(client, target(['a.example.com']), { action: 'retire', id: OLD, reason: '' }, result)
    expect(requests.map((r) => r.method)).toEqual(['GET'])
    expect(result.deleted).toEqual([])
    expect(result.warnings).toEqual([expect.stringContaining(`Origin pull certificate ${OLD} was kept`)])
  })

  it('keeps the old certificate, with a warning, when Cloudflare refuses its delete as in use', async () => {
    const { client } = api(
      success({ hostname: 'a.example.com', cert_id: NEW, status: 'active', enabled: true }),
      failure(400, [{ code: 1419, message: 'The certificate is in use by one or more hostnames' }]),
    )
    const result = { ...emptyOriginPullResult(), id: NEW }
    await applyOriginPullStep(client, target(['a.example.com']), { action: 'retire', id: OLD, reason: '' }, result)
    expect(result.warnings).toEqual([
      expect.stringContaining(`Origin pull certificate ${OLD} was kept: Cloudflare refused the delete`),
    ])
    // No hostname of the entry points at it any more: no later run would find it, and the warning says so.
    expect(result.warnings[0]).toContain('so a later run does not find it: add that hostname to the entry')
    expect(result.deleted).toEqual([])
  })

  it('points a hostname back at what it served before when its deployment times out, and deletes nothing', async () => {
    const { client, requests } = api(
      success({ id: NEW, status: 'initializing' }),
      success([]),
      success({ hostname: 'a.example.com', cert_id: NEW, status: 'active', enabled: true }),
      success({ hostname: 'b.example.com', cert_id: NEW, status: 'deployment_timed_out', enabled: true }),
      success([{ hostname: 'b.example.com', cert_id: OLD, status: 'initializing', enabled: true }]),
    )
    const hostnames = ['a.example.com', 'b.example.com']
    const from = hostnames.map((hostname) => ({ hostname, id: OLD }))
    const error = await operationError(
      applyOriginPullPlan(client, target(hostnames), [
        { action: 'upload' },
        { action: 'attach', hostnames, from },
        { action: 'wait', hostnames },
        { action: 'retire', id: OLD, reason: '' },
      ]),
    )
    expect(error.message).toContain(`for b.example.com in zone ${ZONE_ID}: it reads deployment_timed_out`)
    expect(error.message).toContain(`Pointed it back at the certificate it served before (b.example.com (${OLD}))`)
    expect(requests.map((r) => r.method)).toEqual(['POST', 'PUT', 'GET', 'GET', 'PUT'])
    // a.example.com is active with the new one: only the hostname that timed out goes back.
    expect(JSON.parse(requests[4]?.body ?? '')).toEqual({
      config: [{ hostname: 'b.example.com', cert_id: OLD, enabled: true }],
    })
  })

  it('adopts the same certificate when Cloudflare refuses the upload because it is there already', async () => {
    const exists = failure(400, [{ code: 1471, message: 'This certificate already exists' }])
    const listed = success([{ id: NEW, status: 'active', certificate: fixture.client.pem.replace(/\n/g, '\r\n') }])
    const { client, requests } = api(exists, listed)
    const result = emptyOriginPullResult()
    await applyOriginPullStep(client, target(['a.example.com']), { action: 'upload' }, result)
    expect(result).toMatchObject({ id: NEW, uploaded: false })
    expect(result.lines).toEqual([
      `The per-hostname origin pull certificate was uploaded to zone ${ZONE_ID} meanwhile (by another entry or run) as ${NEW}: no upload.`,
    ])
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET'])

    // Another certificate in the zone is no reason to adopt: the refusal stands.
    const other = success([{ id: OLD, status: 'active', certificate: makeClient().client.pem }])
    const refused = api(exists, other)
    await expect(
      applyOriginPullStep(refused.client, target([]), { action: 'upload' }, emptyOriginPullResult()),
    ).rejects.toThrow(/This certificate already exists/)
    // Nor is a refused token: nothing more is read.
    const forbidden = api(failure(403, [{ code: 10000, message: 'Authentication error' }]))
    await expect(
      applyOriginPullStep(forbidden.client, target([]), { action: 'upload' }, emptyOriginPullResult()),
    ).rejects.toThrow(/Authentication error/)
    expect(forbidden.requests).toHaveLength(1)
  })

  it('zone-level: reuses, waits, deletes what was active before', async () => {
    const { client, requests } = api(
      success({ id: NEW, status: 'active' }),
      success({ id: OLD, status: 'pending_deletion' }),
    )
    const result = await applyOriginPullPlan(client, target([]), [
      { action: 'reuse', id: NEW, uploadedOn: '2026-11-30T08:00:00Z' },
      { action: 'wait', hostnames: [] },
      { action: 'retire', id: OLD, reason: '' },
      { action: 'keep', id: 'x', reason: 'replace is off' },
    ])
    expect(result.lines[0]).toContain('is already in zone')
    expect(result.uploadedOn).toBe('2026-11-30T08:00:00Z')
    expect(result.deleted).toEqual([OLD])
    expect(requests.map((r) => r.method)).toEqual(['GET', 'DELETE'])
  })
})
