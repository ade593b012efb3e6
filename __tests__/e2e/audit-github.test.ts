import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { FakeGitHub } from '../support/fake-github.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { useGitHubStandIn, useStandIn } from '../support/stand-in-hooks.ts'

/**
 * The audit's tracking issue and the way to GitHub: through the runner's proxy, with the token sent to
 * GITHUB_API_URL's origin only, and a failure to reach GitHub named as such. Through dist/audit.
 */

const DAY = 86_400_000
const GITHUB_TOKEN = 'ghs_fAk3TokenForTheProxyTest0123456789abc'
const KEY = generateKey('ec')
const EXPIRING = issueCertificate({
  commonName: 'expiring-client',
  key: KEY,
  notBefore: new Date(Date.now() - 100 * DAY),
  notAfter: new Date(Date.now() + 10 * DAY),
})

let fake: FakeCloudflare
useStandIn((started) => (fake = started))
let gitHub: FakeGitHub
useGitHubStandIn(GITHUB_TOKEN, (started) => (gitHub = started))

const audit = (env: Record<string, string>): Promise<ActionRun> =>
  runAction(
    {
      'account-id': ACCOUNT_ID,
      'api-token': API_TOKEN,
      'api-base-url': fake.url,
      issue: 'true',
      'github-token': GITHUB_TOKEN,
      'fail-days': '0',
    },
    { audit: true, env },
  )
/** The warnings about the tracking issue (each expiring certificate has one too). */
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning' && a.message.includes('tracking issue')).map((a) => a.message)

/**
 * A forward proxy on 127.0.0.1 that records what it is asked and sends every request, tunnelled
 * (CONNECT) or not, to 127.0.0.1 at the port asked for, whatever the host: nothing leaves loopback.
 */
async function startRecordingProxy(): Promise<{ url: string; seen: string[]; stop: () => Promise<void> }> {
  const seen: string[] = []
  const sockets = new Set<Socket>()
  const server: Server = createHttpServer((request, response) => {
    seen.push(`${request.method ?? ''} ${request.url ?? ''}`)
    const target = new URL(request.url ?? '')
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: target.port,
        method: request.method,
        path: target.pathname + target.search,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    upstream.on('error', () => response.writeHead(502).end())
    request.pipe(upstream)
  })
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url ?? ''}`)
    const port = Number(/:(\d+)$/.exec(request.url ?? '')?.[1])
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    stop: async () => {
      for (const socket of sockets) socket.destroy()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

describe('the tracking issue behind a proxy', () => {
  it('goes through HTTP_PROXY and HTTPS_PROXY as @actions/github sets them up (a request option replaced them)', async () => {
    fake.seed(EXPIRING.pem, { name: 'expiring-client' })
    const proxy = await startRecordingProxy()
    try {
      // The toolkit never proxies 127.* nor localhost: an IPv4-mapped IPv6 address is loopback too, but not by its rule.
      const port = new URL(gitHub.url).port
      const apiUrl = `http://[::ffff:127.0.0.1]:${port}`
      const run = await audit({ GITHUB_API_URL: apiUrl, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url })
      expect(warnings(run)).toEqual([])
      expect(run.log).toContain('Tracking issue #1: created.')
      expect(gitHub.issues).toHaveLength(1)
      // Every GitHub request went through the proxy; Cloudflare's, on loopback, did not.
      expect(proxy.seen.length).toBeGreaterThanOrEqual(2)
      expect(proxy.seen.every((line) => line.includes(`[::ffff:7f00:1]:${port}`))).toBe(true)
      expect(leakedSecrets(run, [API_TOKEN, GITHUB_TOKEN])).toEqual([])
    } finally {
      await proxy.stop()
    }
  })
})

describe('the token and GitHub pagination', () => {
  it('follows next pages on GITHUB_API_URL', async () => {
    gitHub.pageSize = 1
    for (let n = 0; n < 3; n++) gitHub.add({ title: 'other', body: 'not ours', labels: ['mtls-certificate-expiry'] })
    fake.seed(EXPIRING.pem, { name: 'expiring-client' })
    const run = await audit({ GITHUB_API_URL: gitHub.url })
    expect(
      gitHub.requests.filter((r) => r.method === 'GET').map((r) => new URLSearchParams(r.query).get('page')),
    ).toEqual([null, '2', '3'])
    expect(run.log).toContain('Tracking issue #4: created.')
  })

  it.each([
    ['another origin', (other: string) => `<${other}/repos/acme/certificates/issues?page=2>; rel="next"`],
    [
      'plain http on another port',
      (other: string) => `<${other.replace('127.0.0.1', 'localhost')}/x?page=2>; rel="next"`,
    ],
  ])('does not follow a next page on %s, nor send the token there', async (_, link) => {
    const other = await new FakeGitHub(GITHUB_TOKEN).start()
    try {
      gitHub.firstPageLink = link(other.url)
      fake.seed(EXPIRING.pem, { name: 'expiring-client' })
      const run = await audit({ GITHUB_API_URL: gitHub.url })
      expect(other.requests).toEqual([])
      expect(warnings(run)).toEqual([
        expect.stringMatching(
          /^The tracking issue could not be kept up to date: GitHub's answer named a next page off GITHUB_API_URL's origin \(http:\/\/127\.0\.0\.1:\d+\), which was not followed with the token\. /,
        ),
      ])
      // Fail closed: with the list unread, no second issue is opened.
      expect(gitHub.writes).toEqual([])
    } finally {
      await other.stop()
    }
  })
})

describe('GitHub out of reach', () => {
  it('says GitHub could not be reached, naming GITHUB_API_URL and the proxy variables, not HTTP 500 and permissions', async () => {
    fake.seed(EXPIRING.pem, { name: 'expiring-client' })
    const run = await audit({ GITHUB_API_URL: 'http://127.0.0.1:9' })
    const [warning = ''] = warnings(run)
    expect(warning).toMatch(
      /^The tracking issue could not be kept up to date: GitHub could not be reached or did not answer \(/,
    )
    expect(warning).toContain('GITHUB_API_URL (http://127.0.0.1:9)')
    expect(warning).toMatch(/HTTPS_PROXY, HTTP_PROXY and NO_PROXY/)
    expect(warning).not.toMatch(/HTTP 500|issues: write/)
  })
})
