import { describe, expect, it } from 'vitest'
import type { HttpResponse } from '../../../src/cloudflare/http.ts'
import { DeploymentTimedOut, waitForHostnames, waitForZoneCertificate } from '../../../src/origin-pull/wait.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { failure, fakeApi, operationError, scriptedSend, success } from '../fakes.ts'

const ID = '2458ce5a0c354c7f82c78e9487d3ff60'
const OLD = '0123456789abcdef0123456789abcdef'
const at = (hostname: string, status: string, certId = ID): HttpResponse =>
  success({ hostname, cert_id: certId, status, cert_status: status, enabled: true })

function api(answers: HttpResponse[], timeoutSeconds = 120) {
  const send = scriptedSend(...answers)
  const { api: client, clock } = fakeApi(send, { maxRetries: 0, timeoutSeconds })
  return { client, clock, requests: send.requests }
}

describe('waiting for origin pull deployments', () => {
  it('reads each hostname until it is active with the new certificate, backing off 1 s, 2 s …', async () => {
    const { client, clock } = api([
      at('a.example.com', 'initializing'),
      at('b.example.com', 'active', OLD),
      at('a.example.com', 'active'),
      at('b.example.com', 'pending_deployment'),
      at('b.example.com', 'active'),
    ])
    expect(await waitForHostnames(client, ZONE_ID, ['a.example.com', 'b.example.com'], ID)).toBe(3000)
    expect(clock.sleeps).toEqual([1000, 2000])
  })

  it('fails on a *_timed_out status, naming the hostname', async () => {
    const { client } = api([at('a.example.com', 'deployment_timed_out')])
    const error = await operationError(waitForHostnames(client, ZONE_ID, ['a.example.com'], ID))
    expect(error.message).toContain(
      `Cloudflare could not deploy the origin pull certificate ${ID} for a.example.com in zone ${ZONE_ID}: it reads deployment_timed_out`,
    )
  })

  it('names every hostname that read a *_timed_out status in the round, for the caller to point back', async () => {
    const { client } = api([
      at('a.example.com', 'deployment_timed_out'),
      at('b.example.com', 'active'),
      success({ hostname: 'c.example.com', cert_id: ID, status: 'active', cert_status: 'deployment_timed_out' }),
    ])
    const hostnames = ['a.example.com', 'b.example.com', 'c.example.com']
    const error = await waitForHostnames(client, ZONE_ID, hostnames, ID).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DeploymentTimedOut)
    expect((error as DeploymentTimedOut).hostnames).toEqual(['a.example.com', 'c.example.com'])
    expect((error as DeploymentTimedOut).message).toContain(
      `for a.example.com, c.example.com in zone ${ZONE_ID}: they read deployment_timed_out`,
    )
  })

  it('gives up before a wait that would outlast timeout-seconds, saying what each hostname reads', async () => {
    const { client } = api(
      [
        at('a.example.com', 'initializing'),
        at('a.example.com', 'pending_deployment'),
        at('a.example.com', 'pending_deployment'),
      ],
      5,
    )
    const error = await operationError(waitForHostnames(client, ZONE_ID, ['a.example.com'], ID))
    expect(error.message).toContain('a.example.com reads pending_deployment')
    expect(error.message).toContain('Nothing was deleted; a re-run goes on waiting')
  })

  it('waits for a zone-level certificate, and fails when it is gone or timed out', async () => {
    const ok = api([success({ id: ID, status: 'initializing' }), success({ id: ID, status: 'active' })])
    expect(await waitForZoneCertificate(ok.client, ZONE_ID, ID)).toBe(1000)
    const gone = api([failure(404, [{ code: 1404, message: 'not found' }])])
    expect((await operationError(waitForZoneCertificate(gone.client, ZONE_ID, ID))).message).toContain(
      'is gone while waiting',
    )
    const timedOut = api([success({ id: ID, status: 'deployment_timed_out' })])
    const message = (await operationError(waitForZoneCertificate(timedOut.client, ZONE_ID, ID))).message
    expect(message).toContain('it reads deployment_timed_out')
    // A re-run reuses that certificate (same content: origin-pull/plan.ts) and reads it timed out again,
    // so the message does not send the user round that loop: it says to delete it.
    expect(message).not.toContain('retry the run')
    expect(message).toContain('delete it (SSL/TLS → Origin Server) so that the next run uploads it again')
  })
})
