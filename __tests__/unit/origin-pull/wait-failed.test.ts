import { describe, expect, it } from 'vitest'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import { DeploymentTimedOut, WaitOutOfTime } from '../../../src/origin-pull/wait.ts'
import { afterFailedWait } from '../../../src/origin-pull/wait-failed.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { failure, fakeApi, operationError, scriptedSend, success } from '../fakes.ts'

const OLD = '0123456789abcdef0123456789abcdef'
const OTHER = 'fedcba9876543210fedcba9876543210'
const TIMED_OUT =
  'Cloudflare could not deploy the origin pull certificate X for b.example.com in zone Z: it reads deployment_timed_out'

function api(...answers: HttpResponse[]) {
  const send = scriptedSend(...answers)
  return { client: fakeApi(send, { maxRetries: 0 }).api, requests: send.requests }
}

describe('what a failed per-hostname wait leaves behind', () => {
  it('points only the hostnames that timed out back at what they served before, and says so', async () => {
    const { client, requests } = api(success([]))
    const before = [
      { hostname: 'a.example.com', id: OTHER },
      { hostname: 'b.example.com', id: OLD },
    ]
    const error = await operationError(
      afterFailedWait(client, ZONE_ID, new DeploymentTimedOut(TIMED_OUT, ['b.example.com']), before),
    )
    expect(error.message).toBe(
      `${TIMED_OUT}. Pointed it back at the certificate it served before (b.example.com (${OLD})), and deleted nothing; re-run to try the new one again, and if it times out again, ask Cloudflare support`,
    )
    expect(requests.map((r) => r.method)).toEqual(['PUT'])
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      config: [{ hostname: 'b.example.com', cert_id: OLD, enabled: true }],
    })
  })

  it('says so when a timed-out hostname served nothing before, or pointing it back fails too', async () => {
    const none = api()
    const timedOut = new DeploymentTimedOut(TIMED_OUT, ['b.example.com'])
    const nothing = await operationError(afterFailedWait(none.client, ZONE_ID, timedOut, []))
    expect(nothing.message).toContain('Nothing was deleted, and no certificate served it before')
    expect(none.requests).toEqual([])

    const refused = api(failure(400, [{ code: 1404, message: 'Certificate not found' }]))
    const before = [{ hostname: 'b.example.com', id: OLD }]
    const failed = await operationError(afterFailedWait(refused.client, ZONE_ID, timedOut, before))
    expect(failed.message).toContain('pointing the hostnames back at what they served before failed too')
    expect(failed.message).toContain('Certificate not found')
  })

  it('names what the hostnames served before when time ran out mid-deployment, and points nothing back', async () => {
    const { client, requests } = api()
    const outOfTime = new WaitOutOfTime(
      'Timed out waiting … Nothing was deleted; a re-run goes on waiting from where Cloudflare is',
    )
    const before = [
      { hostname: 'a.example.com', id: OLD },
      { hostname: 'b.example.com', id: OLD },
    ]
    const error = await operationError(afterFailedWait(client, ZONE_ID, outOfTime, before))
    expect(error.message).toContain(`A re-run does not delete what the hostnames served before (${OLD})`)
    expect(error.message).toContain('delete it by hand')
    expect(requests).toEqual([])
    // With nothing served before, and for any other error, the error goes on as it was.
    expect(await afterFailedWait(client, ZONE_ID, outOfTime, []).catch((e: unknown) => e)).toBe(outOfTime)
    const other = new Error('socket hang up')
    expect(await afterFailedWait(client, ZONE_ID, other, before).catch((e: unknown) => e)).toBe(other)
  })
})
