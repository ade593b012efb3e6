import { createServer, type IncomingMessage, type Server } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakeCloudflare, type FaultRule } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, clientInputs, makeClient, type ClientFixture } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, keyPem } from '../../test-kit/pki.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { run as runSource } from '../../src/main.ts'
import { runInProcess } from '../support/run-in-process.ts'
import {
  LIST,
  POST,
  calls as callsTo,
  copiesOf,
  errorOf,
  jsonError,
  uploadWithFaults,
} from '../support/upload-faults.ts'

/**
 * The network: retries, time limits, proxies and https. Fault injection through dist/, with real waits:
 * each case asserts the exit code, the exact requests, that the account holds at most one copy of the
 * certificate, and that no secret reached the log. The other retry and backoff cases run in-process with
 * a fake clock (__tests__/inprocess/retries.test.ts), as do the proxy URLs without a scheme here.
 */

let fake: FakeCloudflare
let fixture: ClientFixture

useStandIn((started) => (fake = started))

const calls = (): string[] => callsTo(fake)
const copiesOfOurs = (): number => copiesOf(fake, fixture)

async function upload(
  faults: FaultRule[],
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const result = await uploadWithFaults(fake, runAction, faults, inputs, env)
  fixture = result.fixture
  return result.run
}

describe('retries', () => {
  it('honours retry-after-ms, really waiting', async () => {
    const run = await upload([{ method: POST, fault: jsonError(429, 971, 'slow down', { 'retry-after-ms': '300' }) }])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, POST])
    expect(run.log).toContain('retrying in 0.3 s.')
    expect(run.durationMs).toBeGreaterThanOrEqual(300)
    expect(copiesOfOurs()).toBe(1)
  })

  it('retries a 500 with a JSON error, looking first whether the upload took effect', async () => {
    const run = await upload([{ method: POST, fault: jsonError(500, 1000, 'Internal error') }])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, LIST, POST])
    expect(run.log).toMatch(
      /Attempt 1 of 4 to upload the certificate got HTTP 500: \[1000\] Internal error; retrying in \d\.\d s\./,
    )
    expect(run.outputs.created).toBe('true')
    expect(copiesOfOurs()).toBe(1)
  })
})

describe('time limits', () => {
  it('fails promptly, saying what timed out and after how long, when the server hangs', async () => {
    const run = await upload([{ method: POST, times: 10, fault: { kind: 'hang' } }], { 'timeout-seconds': '2' })
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toBe('Could not upload the certificate: no answer within timeout-seconds (2 s).')
    expect(run.durationMs).toBeLessThan(6000)
    expect(calls()).toEqual([POST])
  })

  it('does not wait past the budget for a long Retry-After', async () => {
    const run = await upload([{ method: POST, fault: jsonError(429, 971, 'slow down', { 'retry-after': '120' }) }], {
      'timeout-seconds': '5',
    })
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toMatch(
      /^Could not upload the certificate within timeout-seconds \(5 s\): attempt 1 got HTTP 429: \[971\] slow down, and the next attempt starts only after the time runs out \(120 s wait, [\d.]+ s left\)\.$/,
    )
    expect(run.durationMs).toBeLessThan(4000)
    expect(calls()).toEqual([POST])
  })
})

/**
 * A forward proxy on loopback that stands in for the network too: it tunnels every CONNECT to
 * 127.0.0.1 at the port asked for, whatever the host name, and records what it was asked.
 */
async function startProxy(): Promise<{ server: Server; url: string; seen: string[]; authorizations: string[] }> {
  const seen: string[] = []
  const authorizations: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`)
    response.writeHead(405).end()
  })
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`)
    authorizations.push(request.headers['proxy-authorization'] ?? '')
    const port = Number(new URL(`http://${request.url ?? ''}`).port)
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => socket.destroy())
    }
  })
  server.on('close', () => {
    for (const socket of sockets) socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, authorizations }
}

/** A stand-in over TLS with a server certificate for `host`, and a CA file the action is told to trust. */
async function startTlsFake(host = 'localhost'): Promise<{ tlsFake: FakeCloudflare; caFile: string }> {
  const serverCa = makeClient('ec')
  const server = issueCertificate({ commonName: host, serverName: host, key: generateKey('ec'), issuer: serverCa.ca })
  const tlsFake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start(0, {
    cert: server.pem,
    key: keyPem(server.key, 'pkcs8'),
    host,
  })
  const caFile = join(mkdtempSync(join(tmpdir(), 'mtls-ca-')), 'ca.pem')
  writeFileSync(caFile, serverCa.ca.pem)
  return { tlsFake, caFile }
}

/**
 * The toolkit never proxies a loopback host, and api-base-url must be https to any other host: so a proxy
 * is tested as self-hosted runners use one, for an https API under a real name. The stand-in serves TLS
 * for api.cloudflare.test (a reserved name no resolver knows), which only the proxy can reach.
 */
describe('proxies', () => {
  const API_HOST = 'api.cloudflare.test'
  let tls: { tlsFake: FakeCloudflare; caFile: string }
  let proxy: Awaited<ReturnType<typeof startProxy>>
  beforeAll(async () => {
    tls = await startTlsFake(API_HOST)
  })
  afterAll(() => tls.tlsFake.stop())
  beforeEach(async () => {
    proxy = await startProxy()
  })
  afterEach(async () => {
    expect(tls.tlsFake.specViolations).toEqual([])
    tls.tlsFake.reset()
    proxy.server.closeAllConnections()
    await new Promise((resolve) => proxy.server.close(resolve))
  })

  async function uploadVia(env: Record<string, string>, inputs: Record<string, string> = {}): Promise<ActionRun> {
    fixture = makeClient('ec')
    const run = await runAction(clientInputs(tls.tlsFake, fixture, inputs), {
      env: { NODE_EXTRA_CA_CERTS: tls.caFile, ...env },
    })
    expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
    return run
  }

  it.each(['HTTPS_PROXY', 'https_proxy'])(
    'tunnels through the proxy in %s with CONNECT, printing no warning',
    async (variable) => {
      const run = await uploadVia({ [variable]: proxy.url })
      expect(run.exitCode).toBe(0)
      expect(proxy.seen).toEqual([`CONNECT ${new URL(tls.tlsFake.url).host}`])
      expect(tls.tlsFake.requests.map((r) => r.method)).toEqual([POST])
      // undici 6's EnvHttpProxyAgent would print an ExperimentalWarning here.
      expect(run.stderr.trim()).toBe('')
      expect(run.log).not.toMatch(/warning/i)
      expect(run.annotations).toEqual([])
    },
  )

  it('authenticates to the proxy with the credentials in its URL, and masks the password', async () => {
    const withPassword = proxy.url.replace('http://', 'http://ci-user:pr0xy%40s3cret-pw@')
    const run = await uploadVia({ HTTPS_PROXY: withPassword })
    expect(run.exitCode).toBe(0)
    expect(proxy.authorizations).toEqual([`Basic ${Buffer.from('ci-user:pr0xy@s3cret-pw').toString('base64')}`])
    expect(run.masks).toEqual(expect.arrayContaining(['pr0xy%40s3cret-pw', 'pr0xy@s3cret-pw']))
    expect(leakedSecrets(run, ['pr0xy%40s3cret-pw', 'pr0xy@s3cret-pw'])).toEqual([])
  })

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const run = await uploadVia(
      { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,.cloudflare.test' },
      {
        'max-retries': '0',
      },
    )
    // Direct, the reserved name does not resolve: the request never left, and the proxy saw nothing.
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toMatch(
      /^Could not upload the certificate: .*network error \(getaddrinfo \w+ api\.cloudflare\.test\)/,
    )
    expect(proxy.seen).toEqual([])
  })

  it('never proxies a loopback API, as the toolkit does', async () => {
    const run = await upload([], {}, { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url })
    expect(run.exitCode).toBe(0)
    expect(proxy.seen).toEqual([])
    expect(calls()).toEqual([POST])
  })

  it('retries when the proxy refuses the tunnel, and says so', async () => {
    proxy.server.removeAllListeners('connect')
    proxy.server.on('connect', (request: IncomingMessage, client: Socket) => {
      proxy.seen.push(`CONNECT ${request.url}`)
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    })
    const run = await uploadVia({ HTTPS_PROXY: proxy.url }, { 'max-retries': '1' })
    expect(run.exitCode).toBe(1)
    expect(proxy.seen).toHaveLength(2)
    expect(errorOf(run)).toBe(
      'Could not upload the certificate: all 2 attempts failed; the last one got the proxy refused the connection (Proxy response (502) !== 200 when HTTP Tunneling).',
    )
    expect(tls.tlsFake.requests).toEqual([])
  })

  it('masks the credentials of a proxy URL that does not parse, and does not retry it', async () => {
    const badProxy = 'http://alice:Pr0xy#Secret9@127.0.0.1:3128'
    const run = await uploadVia({ HTTP_PROXY: badProxy, HTTPS_PROXY: badProxy })
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toBe(
      'Could not upload the certificate: the proxy URL in HTTPS_PROXY or HTTP_PROXY is not a valid URL (check its port, and percent-encode special characters in its user name and password).',
    )
    expect(leakedSecrets(run, ['Pr0xy#Secret9', 'alice:Pr0xy#Secret9'])).toEqual([])
    expect(tls.tlsFake.requests).toEqual([])
  })
})

describe('https', () => {
  it('uploads over TLS', async () => {
    const { tlsFake, caFile } = await startTlsFake()
    try {
      fixture = makeClient('ec')
      const run = await runAction(clientInputs(tlsFake, fixture), { env: { NODE_EXTRA_CA_CERTS: caFile } })
      expect(run.annotations.filter((a) => a.level === 'error')).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(tlsFake.requests.map((r) => r.method)).toEqual([POST])
      expect(tlsFake.specViolations).toEqual([])
    } finally {
      await tlsFake.stop()
    }
  })

  it('fails at once on a server certificate it does not trust: retrying cannot help', async () => {
    const { tlsFake } = await startTlsFake()
    try {
      fixture = makeClient('ec')
      const run = await runAction(clientInputs(tlsFake, fixture))
      expect(run.exitCode).toBe(1)
      expect(errorOf(run)).toMatch(
        /^Could not upload the certificate: TLS error \(UNABLE_TO_VERIFY_LEAF_SIGNATURE: .*\): the server's certificate is not trusted for this host\. .*NODE_EXTRA_CA_CERTS\.$/,
      )
      expect(run.log).not.toContain('retrying')
      expect(tlsFake.requests).toEqual([])
    } finally {
      await tlsFake.stop()
    }
  })
})

describe('a proxy URL without a scheme is taken as http://, as curl does', () => {
  /** The main step run from source in this process. */
  async function run(extra: Record<string, string>, env: Record<string, string>): Promise<ActionRun> {
    const done = await runInProcess(runSource, clientInputs(fake, fixture, { name: 'payments-client', ...extra }), {
      env,
    })
    expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
    return done
  }
  const viaProxy = (proxy: string): Promise<ActionRun> =>
    run({ 'api-base-url': 'https://api.cloudflare.test/client/v4', 'max-retries': '0' }, { HTTPS_PROXY: proxy })

  it.each(['127.0.0.1:1', 'ci-user:pr0xy-s3cret-pw@127.0.0.1:1'])('%s', async (proxy) => {
    fixture = makeClient('ec')
    const done = await viaProxy(proxy)
    expect(done.exitCode).toBe(1)
    // Sent to the proxy on port 1, where nothing listens: the proxy URL was read as http://127.0.0.1:1.
    expect(errorOf(done)).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/)
    expect(errorOf(done)).not.toMatch(/UND_ERR|protocol/)
    expect(leakedSecrets(done, ['pr0xy-s3cret-pw'])).toEqual([])
  })

  it('refuses a proxy scheme other than http and https, naming the variable, without a stack trace', async () => {
    fixture = makeClient('ec')
    const done = await viaProxy('socks5://127.0.0.1:1')
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toMatch(/the proxy URL in HTTPS_PROXY is a socks5: URL/)
    expect(errorOf(done)).not.toMatch(/UND_ERR/)
    expect(done.stderr).not.toMatch(/\bat \S+ \(/)
  })
})
