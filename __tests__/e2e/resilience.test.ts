import { createServer, request as httpRequest, type Server } from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeCloudflare, errorAnswer, type Fault, type FaultRule } from '../support/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, clientInputs, makeClient, startFake, type ClientFixture } from '../support/fixtures.ts'
import { generateKey, issueCertificate, keyPem } from '../support/pki.ts'
import { leakedSecrets, runAction, type ActionRun } from '../support/run-action.ts'

/**
 * Fault injection through dist/: each case asserts the exit code, the exact requests, that the
 * account holds at most one copy of the certificate, and that no secret reached the log.
 */

let fake: FakeCloudflare
let fixture: ClientFixture

beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())
afterEach(() => {
  expect(fake.specViolations).toEqual([])
  fake.reset()
})

const POST = 'POST'
const LIST = 'GET'
const calls = (): string[] => fake.requests.map((r) => r.method)
const errorOf = (run: ActionRun): string | undefined => run.annotations.find((a) => a.level === 'error')?.message
const copiesOfOurs = (): number =>
  [...fake.certificates.values()].filter((c) => c.certificates.includes(fixture.client.pem.trim().split('\n')[1] ?? ''))
    .length

async function upload(
  faults: FaultRule[],
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  fixture = makeClient('ec')
  for (const fault of faults) fake.inject(fault)
  const run = await runAction(clientInputs(fake, fixture, inputs), { env })
  expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
  expect(copiesOfOurs()).toBeLessThanOrEqual(1)
  return run
}

const jsonError = (status: number, code: number, message: string, headers: Record<string, string> = {}): Fault =>
  errorAnswer(status, [{ code, message }], headers)
const htmlPage = (status: number, title: string): Fault => ({
  kind: 'respond',
  status,
  headers: { 'content-type': 'text/html' },
  body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
})

describe('retries', () => {
  it('waits as Retry-After says on 429, then uploads once', async () => {
    const run = await upload([
      {
        method: POST,
        fault: jsonError(429, 971, 'Please wait and consider throttling your request speed', { 'retry-after': '1' }),
      },
    ])
    expect(run.exitCode).toBe(0)
    // A rate-limited request was not processed, so there is nothing to look up before retrying.
    expect(calls()).toEqual([POST, POST])
    expect(run.log).toContain(
      'Attempt 1 of 4 to upload the certificate got HTTP 429: [971] Please wait and consider throttling your request speed; retrying in 1.0 s.',
    )
    expect(run.durationMs).toBeGreaterThanOrEqual(1000)
    expect(copiesOfOurs()).toBe(1)
  })

  it('honours retry-after-ms', async () => {
    const run = await upload([{ method: POST, fault: jsonError(429, 971, 'slow down', { 'retry-after-ms': '300' }) }])
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('retrying in 0.3 s.')
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

  it('retries a 502 HTML page and names it', async () => {
    const run = await upload([{ method: POST, fault: htmlPage(502, '502 Bad Gateway') }])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, LIST, POST])
    expect(run.log).toContain(
      'got HTTP 502 with an HTML page titled "502 Bad Gateway" instead of Cloudflare\'s JSON answer',
    )
  })

  it('gets through several 503s', async () => {
    const run = await upload([{ method: POST, times: 3, fault: htmlPage(503, 'Service Unavailable') }])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, LIST, POST, LIST, POST, LIST, POST])
    for (const attempt of [1, 2, 3])
      expect(run.log).toContain(`Attempt ${attempt} of 4 to upload the certificate got HTTP 503`)
    expect(copiesOfOurs()).toBe(1)
  })

  it('says how many attempts were made and what the last one got when all fail', async () => {
    const run = await upload([{ method: POST, times: 10, fault: htmlPage(503, 'Service Unavailable') }], {
      'max-retries': '2',
    })
    expect(run.exitCode).toBe(1)
    expect(calls()).toEqual([POST, LIST, POST, LIST, POST])
    expect(errorOf(run)).toBe(
      'Could not upload the certificate: all 3 attempts failed; the last one got HTTP 503 with an HTML page titled "Service Unavailable" instead of Cloudflare\'s JSON answer (Cloudflare or a proxy in between is having trouble).',
    )
  })

  it('makes one attempt with max-retries 0', async () => {
    const run = await upload([{ method: POST, fault: jsonError(500, 1000, 'Internal error') }], { 'max-retries': '0' })
    expect(run.exitCode).toBe(1)
    expect(calls()).toEqual([POST])
    expect(errorOf(run)).toContain(
      'the only attempt (max-retries is 0) failed; the last one got HTTP 500: [1000] Internal error',
    )
  })

  it('retries a connection reset', async () => {
    const run = await upload([{ method: POST, fault: { kind: 'reset' } }])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, LIST, POST])
    expect(run.log).toMatch(/Attempt 1 of 4 to upload the certificate got network error \([^)]*\); retrying in/)
    expect(copiesOfOurs()).toBe(1)
  })

  it('adopts the certificate when the answer to an upload that took effect is lost', async () => {
    const run = await upload([{ method: POST, fault: { kind: 'reset-after-commit' } }])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, LIST])
    expect(copiesOfOurs()).toBe(1)
    const stored = [...fake.certificates.values()][0]
    expect(run.outputs['certificate-id']).toBe(stored?.id)
    expect(run.outputs.created).toBe('true')
  })

  it('retries a 200 whose body is not JSON, without duplicating', async () => {
    const run = await upload([
      { method: POST, fault: { kind: 'respond', status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' } },
    ])
    expect(run.exitCode).toBe(0)
    expect(calls()).toEqual([POST, LIST, POST])
    expect(run.log).toContain("got HTTP 200 with a text/plain body of 2 bytes instead of Cloudflare's JSON answer")
    expect(copiesOfOurs()).toBe(1)
  })

  it.each([
    [401, 10000, 'Authentication error'],
    [403, 10000, 'Authentication error'],
    [400, 1412, 'Invalid certificate'],
  ])('does not retry HTTP %i', async (status, code, message) => {
    const run = await upload([{ method: POST, fault: jsonError(status, code, message) }])
    expect(run.exitCode).toBe(1)
    expect(calls()).toEqual([POST])
    expect(errorOf(run)).toContain(`Could not upload the certificate: HTTP ${status}: [${code}] ${message}`)
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
      /^Could not upload the certificate within timeout-seconds \(5 s\): attempt 1 got HTTP 429: \[971\] slow down, and the next attempt would start after the time runs out \(120 s wait, [\d.]+ s left\)\.$/,
    )
    expect(run.durationMs).toBeLessThan(4000)
    expect(calls()).toEqual([POST])
  })
})

/** A forward proxy on loopback: CONNECT tunnels and absolute-URI requests, counted. */
async function startProxy(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`)
    const target = new URL(request.url ?? '')
    const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    })
    request.pipe(upstream)
  })
  server.on('connect', (request, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`)
    const [host, port] = (request.url ?? '').split(':')
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
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
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

describe('proxies', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('goes through the proxy in %s', async (variable) => {
    const proxy = await startProxy()
    try {
      const run = await upload([], {}, { [variable]: proxy.url })
      expect(run.exitCode).toBe(0)
      const target = new URL(fake.url).host
      expect(proxy.seen.length).toBeGreaterThanOrEqual(1)
      expect(proxy.seen.every((line) => line.includes(target))).toBe(true)
      expect(calls()).toEqual([POST])
    } finally {
      proxy.server.closeAllConnections()
      proxy.server.close()
    }
  })

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const proxy = await startProxy()
    try {
      const run = await upload([], {}, { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,127.0.0.1' })
      expect(run.exitCode).toBe(0)
      expect(proxy.seen).toEqual([])
    } finally {
      proxy.server.close()
    }
  })

  it('masks the credentials of a proxy URL that does not parse, and does not retry it', async () => {
    const proxy = 'http://alice:Pr0xy#Secret9@127.0.0.1:3128'
    const run = await upload([], {}, { HTTP_PROXY: proxy, HTTPS_PROXY: proxy })
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toBe(
      'Could not upload the certificate: the proxy URL in HTTPS_PROXY or HTTP_PROXY is not a valid URL (check its port, and percent-encode special characters in its user name and password).',
    )
    expect(leakedSecrets(run, ['Pr0xy#Secret9', 'alice:Pr0xy#Secret9'])).toEqual([])
    expect(calls()).toEqual([])
  })

  it('masks a proxy password', async () => {
    const proxy = await startProxy()
    try {
      const withPassword = proxy.url.replace('http://', 'http://ci-user:pr0xy-s3cret-pw@')
      const run = await upload([], {}, { HTTP_PROXY: withPassword })
      expect(run.exitCode).toBe(0)
      expect(run.masks).toContain('pr0xy-s3cret-pw')
    } finally {
      proxy.server.closeAllConnections()
      proxy.server.close()
    }
  })
})

describe('https', () => {
  /** A stand-in over TLS with a server certificate for localhost, and a CA file the action is told to trust. */
  async function startTlsFake(): Promise<{ tlsFake: FakeCloudflare; caFile: string }> {
    const serverCa = makeClient('ec')
    const server = issueCertificate({
      commonName: 'localhost',
      serverName: 'localhost',
      key: generateKey('ec'),
      issuer: serverCa.ca,
    })
    const tlsFake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start(0, {
      cert: server.pem,
      key: keyPem(server.key, 'pkcs8'),
    })
    const caFile = join(mkdtempSync(join(tmpdir(), 'mtls-ca-')), 'ca.pem')
    writeFileSync(caFile, serverCa.ca.pem)
    return { tlsFake, caFile }
  }

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

  it('tunnels through an HTTPS_PROXY with CONNECT', async () => {
    const { tlsFake, caFile } = await startTlsFake()
    const proxy = await startProxy()
    try {
      fixture = makeClient('ec')
      const run = await runAction(clientInputs(tlsFake, fixture), {
        env: { NODE_EXTRA_CA_CERTS: caFile, HTTPS_PROXY: proxy.url },
      })
      expect(run.exitCode).toBe(0)
      expect(proxy.seen).toEqual([`CONNECT ${new URL(tlsFake.url).host}`])
      expect(tlsFake.requests.map((r) => r.method)).toEqual([POST])
      expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
    } finally {
      proxy.server.closeAllConnections()
      proxy.server.close()
      await tlsFake.stop()
    }
  })
})
