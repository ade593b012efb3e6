import { createServer, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, clientInputs, makeClient } from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, runPostStep, type ActionRun } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'

/**
 * A proxy that drops the connection once it has read the CONNECT (a firewall, a proxy restarting), or
 * never answers it: undici 6's ProxyAgent does not honour the request's AbortSignal before the tunnel
 * is up, and on a drop reconnects at once, for ever. Every step (upload, audit, post) must still end
 * within timeout-seconds, without hammering the proxy, and name it without its credentials.
 */

const PROXY_USER = 'ci-user'
const PROXY_PASSWORD = 'pr0xy-s3cret-pw'
const CLOUDFLARE = 'https://api.cloudflare.com/client/v4'

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

interface Proxy {
  url: string
  address: string
  connects: () => number
  stop: () => void
}
let proxy: Proxy | undefined
afterEach(() => proxy?.stop())

async function startProxy(drop: boolean): Promise<Proxy> {
  let connects = 0
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.once('data', () => {
      connects++
      if (drop) socket.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  proxy = {
    url: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    connects: () => connects,
    stop: () => {
      for (const socket of sockets) socket.destroy()
      server.close()
    },
  }
  return proxy
}

const annotations = (run: ActionRun, level: 'error' | 'warning'): string[] =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message)

/** Ended in time, did not hammer the proxy, and printed none of its credentials (debug logging on). */
function expectBounded(run: ActionRun, used: Proxy): void {
  // Killed (exit code null) before the fix, after some 50,000 CONNECTs.
  expect(run.durationMs).toBeLessThan(8_000)
  expect(used.connects()).toBeGreaterThan(0)
  expect(used.connects()).toBeLessThan(50)
  expect(leakedSecrets(run, [API_TOKEN, PROXY_PASSWORD])).toEqual([])
  // The user name is no secret to mask, but is not printed either (only its add-mask command carries it).
  expect(`${run.log}${run.stderr}`).not.toContain(PROXY_USER)
}

const dropped = (used: Proxy): RegExp =>
  new RegExp(
    `the proxy at ${used.address.replace(/\./g, '\\.')} dropped the tunnel request \\(CONNECT\\) 3 times in a row`,
  )

function uploadInputs(): Record<string, string> {
  const fixture = makeClient('ec')
  return {
    'account-id': ACCOUNT_ID,
    'api-token': API_TOKEN,
    'api-base-url': CLOUDFLARE,
    certificate: fixture.client.pem,
    'private-key': fixture.keyPem,
    ca: 'false',
    'timeout-seconds': '2',
  }
}

const viaProxy = (used: Proxy, extra: Record<string, string> = {}) => ({
  env: { HTTPS_PROXY: used.url, RUNNER_DEBUG: '1', ...extra },
  killAfterMs: 12_000,
})

describe('the upload step behind a proxy that fails the tunnel', () => {
  it('fails within timeout-seconds, naming the proxy, when the proxy drops every CONNECT', async () => {
    const used = await startProxy(true)
    const run = await runAction(uploadInputs(), viaProxy(used))
    expect(run.exitCode).toBe(1)
    expectBounded(run, used)
    expect(annotations(run, 'error')[0]).toMatch(dropped(used))
    expect(run.log).toMatch(/Attempt 1 of 4 to .* got the proxy at /)
  }, 20_000)

  it('fails at timeout-seconds when the proxy never answers the CONNECT', async () => {
    const used = await startProxy(false)
    const run = await runAction(uploadInputs(), viaProxy(used))
    expect(run.exitCode).toBe(1)
    expectBounded(run, used)
    expect(run.durationMs).toBeGreaterThanOrEqual(2_000)
    expect(annotations(run, 'error')[0]).toMatch(/no answer within timeout-seconds \(2 s\)/)
  }, 20_000)
})

describe('the audit and post steps share the fix', () => {
  it.each([
    ['drops every CONNECT', true],
    ['never answers the CONNECT', false],
  ])(
    'the audit fails within timeout-seconds when the proxy %s',
    async (_, drop) => {
      const used = await startProxy(drop)
      const run = await runAction(
        { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, 'api-base-url': CLOUDFLARE, 'timeout-seconds': '2' },
        { ...viaProxy(used), audit: true },
      )
      expect(run.exitCode).toBe(1)
      expectBounded(run, used)
      expect(annotations(run, 'error').join('\n')).toMatch(drop ? dropped(used) : /timeout-seconds \(2 s\)/)
    },
    20_000,
  )

  it.each([
    ['drops every CONNECT', true],
    ['never answers the CONNECT', false],
  ])(
    'the post step only warns, within timeout-seconds, when the proxy %s',
    async (_, drop) => {
      const fixture = makeClient('ec')
      const inputs = clientInputs(fake, fixture, { replace: 'true', 'timeout-seconds': '2' })
      // The main step reaches the stand-in directly (loopback is never proxied) and schedules the replace.
      const main = await runAction(inputs)
      expect(main.exitCode).toBe(0)
      const used = await startProxy(drop)
      const post = await runPostStep({ ...inputs, 'api-base-url': CLOUDFLARE }, main, viaProxy(used))
      expect(post.exitCode).toBe(0)
      expectBounded(post, used)
      expect(annotations(post, 'error')).toEqual([])
      const warning = annotations(post, 'warning').join('\n')
      expect(warning).toMatch(/^Replace at the end of the job could not finish: /)
      expect(warning).toMatch(drop ? dropped(used) : /timeout-seconds \(2 s\)/)
    },
    20_000,
  )
})
