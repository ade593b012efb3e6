import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TransportError } from '../../../src/cloudflare/errors.ts'
import {
  MAX_RESPONSE_BYTES,
  PROXY_DROPS_IN_A_ROW,
  createHttpClient,
  type HttpClient,
  type HttpRequest,
} from '../../../src/cloudflare/http.ts'

/** The HTTP layer against real sockets on 127.0.0.1: undici does the work, the layer classifies failures. */

let server: Server | undefined
let client: HttpClient | undefined
const sockets = new Set<Socket>()

afterEach(async () => {
  vi.unstubAllEnvs()
  await client?.close()
  client = undefined
  for (const socket of sockets) socket.destroy()
  if (server) await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(handler)
  server.on('connection', (socket) => sockets.add(socket))
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const get = (url: string): HttpRequest => ({ method: 'GET', url, headers: { accept: 'application/json' } })
const live = (): AbortSignal => new AbortController().signal

/** The request's failure, through the client given (a new one by default). */
async function sendFailure(request: HttpRequest, signal = live(), through?: HttpClient): Promise<TransportError> {
  client = through ?? createHttpClient()
  const error: unknown = await client.send(request, signal).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  if (!(error instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(error)}`)
  return error
}

describe('createHttpClient', () => {
  it('sends the method, headers and body, and returns status, lowercase headers and body', async () => {
    let seen: { method?: string | undefined; headers?: IncomingMessage['headers']; body?: string } = {}
    const url = await serve((request, response) => {
      let body = ''
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      request.on('end', () => {
        seen = { method: request.method, headers: request.headers, body }
        response.setHeader('Set-Cookie', ['a=1', 'b=2'])
        response.writeHead(201, { 'Content-Type': 'application/json', 'Retry-After': '3' })
        response.end('{"success":true}')
      })
    })
    client = createHttpClient()
    const answer = await client.send(
      { method: 'POST', url: `${url}/x`, headers: { 'content-type': 'application/json' }, body: '{"a":"é"}' },
      live(),
    )
    expect(answer.status).toBe(201)
    expect(answer.body).toBe('{"success":true}')
    expect(answer.headers['content-type']).toBe('application/json')
    expect(answer.headers['retry-after']).toBe('3')
    expect(answer.headers['set-cookie']).toBe('a=1, b=2')
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('{"a":"é"}')
    expect(seen.headers?.['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')))
  })

  it.each([
    ['with a content-length', true],
    ['chunked', false],
  ])('refuses an answer over 8 MiB (%s): it may have been processed', async (_, withLength) => {
    const url = await serve((_request, response) => {
      const body = Buffer.alloc(MAX_RESPONSE_BYTES + 1, 'a')
      response.writeHead(200, withLength ? { 'content-length': String(body.length) } : {})
      response.end(body)
    })
    const error = await sendFailure(get(url))
    expect(error.message).toBe('the response body was larger than 8 MiB')
    expect(error.mayHaveReachedServer).toBe(true)
  })

  it('accepts an answer of exactly 8 MiB', async () => {
    const url = await serve((_request, response) => {
      response.end(Buffer.alloc(MAX_RESPONSE_BYTES, 'a'))
    })
    client = createHttpClient()
    const answer = await client.send(get(url), live())
    expect(answer.body.length).toBe(MAX_RESPONSE_BYTES)
  })

  it('says a refused connection never reached the server', async () => {
    const url = await serve(() => undefined)
    await new Promise((resolve) => server?.close(resolve))
    server = undefined
    const error = await sendFailure(get(url))
    expect(error.message).toMatch(/^network error \(connect ECONNREFUSED 127\.0\.0\.1:/)
    expect(error).toMatchObject({ mayHaveReachedServer: false, permanent: false, timedOut: false })
  })

  it('says a connection dropped after the request may have reached the server', async () => {
    const url = await serve((request) => request.socket.destroy())
    const error = await sendFailure(get(url))
    expect(error.message).toMatch(/^network error \(/)
    expect(error).toMatchObject({ mayHaveReachedServer: true, permanent: false })
  })

  it('reports a time-out when the signal fires while the server is silent', async () => {
    const url = await serve(() => undefined)
    const error = await sendFailure(get(url), AbortSignal.timeout(200))
    expect(error).toMatchObject({ timedOut: true, mayHaveReachedServer: true })
  })
})

describe('proxies', () => {
  /** A proxy that refuses every CONNECT, recording what it was asked for. */
  async function refusingProxy(): Promise<{ url: string; asked: string[] }> {
    const asked: string[] = []
    const url = await serve(() => undefined)
    server?.on('connect', (request: IncomingMessage, socket: Socket) => {
      asked.push(`CONNECT ${request.url} ${request.headers['proxy-authorization'] ?? ''}`.trim())
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n')
    })
    return { url, asked }
  }

  it.each(['HTTPS_PROXY', 'https_proxy'])('tunnels https requests through %s', async (variable) => {
    const proxy = await refusingProxy()
    vi.stubEnv(variable, proxy.url.replace('//', '//ci%40acme:p%3Ass@'))
    const error = await sendFailure(get('https://api.cloudflare.test/client/v4/x'))
    const basic = `Basic ${Buffer.from('ci@acme:p:ss').toString('base64')}`
    expect(proxy.asked).toEqual([`CONNECT api.cloudflare.test:443 ${basic}`])
    expect(error.message).toMatch(/^the proxy refused the connection \(Proxy response \(407\)/)
    expect(error).toMatchObject({ mayHaveReachedServer: false, permanent: false })
  })

  /** A proxy that drops the connection on every CONNECT, or never answers it, counting them. */
  async function failingProxy(drop: boolean): Promise<{ url: string; port: string; connects: () => number }> {
    let connects = 0
    const url = await serve(() => undefined)
    server?.on('connect', (_request: IncomingMessage, socket: Socket) => {
      connects++
      if (drop) socket.destroy()
    })
    return { url, port: new URL(url).port, connects: () => connects }
  }

  it('fails, naming the proxy but not its credentials, when the proxy drops the tunnel request again and again', async () => {
    const proxy = await failingProxy(true)
    vi.stubEnv('HTTPS_PROXY', proxy.url.replace('//', '//ci-user:pr0xy-pw@'))
    const error = await sendFailure(get('https://api.cloudflare.test/client/v4/x'))
    const sameClient = client
    expect(error.message).toBe(
      `the proxy at 127.0.0.1:${proxy.port} dropped the tunnel request (CONNECT) ${PROXY_DROPS_IN_A_ROW} times in a row (UND_ERR_SOCKET: other side closed)`,
    )
    expect(error).toMatchObject({ mayHaveReachedServer: false, permanent: false, timedOut: false })
    // undici's reconnect loop stopped with the request: the proxy is not hammered while the retry waits.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(proxy.connects()).toBe(PROXY_DROPS_IN_A_ROW)
    // The next attempt, through the same client, starts afresh.
    const again = await sendFailure(get('https://api.cloudflare.test/client/v4/x'), live(), sameClient)
    expect(again.message).toMatch(/^the proxy at /)
    expect(proxy.connects()).toBe(2 * PROXY_DROPS_IN_A_ROW)
  })

  it('ends at the signal, with its reason, when the proxy never answers the tunnel request', async () => {
    const proxy = await failingProxy(false)
    vi.stubEnv('HTTPS_PROXY', proxy.url)
    const reason = new TransportError('no answer within timeout-seconds (1 s)', { mayHaveReachedServer: true })
    const controller = new AbortController()
    setTimeout(() => {
      controller.abort(reason)
    }, 200)
    const started = Date.now()
    expect(await sendFailure(get('https://api.cloudflare.test/client/v4/x'), controller.signal)).toBe(reason)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(proxy.connects()).toBe(1)
  })

  it('does not take a proxy that is down for one that drops the tunnel request', async () => {
    vi.stubEnv('HTTPS_PROXY', 'http://127.0.0.1:1')
    const through = createHttpClient()
    for (let attempt = 0; attempt <= PROXY_DROPS_IN_A_ROW; attempt++) {
      const error = await sendFailure(get('https://api.cloudflare.test/client/v4/x'), live(), through)
      expect(error.message).toMatch(
        /^the proxy at 127\.0\.0\.1:1 \(from HTTPS_PROXY\) could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:1\)/,
      )
    }
  })

  it.each(['HTTPS_PROXY', 'https_proxy'])(
    'names a proxy that refuses the connection, and %s, without its credentials',
    async (variable) => {
      vi.stubEnv(variable, 'http://ci-user:pr0xy-pw@127.0.0.1:9')
      const error = await sendFailure(get('https://api.cloudflare.test/client/v4/x'), live(), createHttpClient())
      expect(error.message).toBe(
        `the proxy at 127.0.0.1:9 (from ${variable}) could not be reached (connect ECONNREFUSED 127.0.0.1:9)`,
      )
      expect(error.mayHaveReachedServer).toBe(false)
    },
  )

  it('takes a proxy URL without a scheme as http://, as curl does, credentials and all', async () => {
    const proxy = await refusingProxy()
    vi.stubEnv('HTTPS_PROXY', proxy.url.replace('http://', 'ci%40acme:p%3Ass@'))
    const error = await sendFailure(get('https://api.cloudflare.test/client/v4/x'))
    expect(proxy.asked).toEqual([
      `CONNECT api.cloudflare.test:443 Basic ${Buffer.from('ci@acme:p:ss').toString('base64')}`,
    ])
    expect(error.message).not.toMatch(/UND_ERR|protocol/)
  })

  it('refuses a proxy that is not http or https, naming the variable', async () => {
    vi.stubEnv('https_proxy', 'socks5://127.0.0.1:1080')
    const error = await sendFailure(get('https://api.cloudflare.test/x'))
    expect(error.message).toMatch(/^the proxy URL in https_proxy is a socks5: URL/)
    expect(error).toMatchObject({ permanent: true, mayHaveReachedServer: false })
  })

  it('does not use the proxy for a host in NO_PROXY', async () => {
    const proxy = await refusingProxy()
    vi.stubEnv('HTTPS_PROXY', proxy.url)
    vi.stubEnv('NO_PROXY', 'example.com, .cloudflare.test')
    const error = await sendFailure({ ...get('https://api.cloudflare.test/x') }, AbortSignal.timeout(5000))
    expect(proxy.asked).toEqual([])
    expect(error.mayHaveReachedServer).toBe(false)
  })

  it('refuses a proxy URL it cannot parse, without sending anything and without quoting it', async () => {
    vi.stubEnv('HTTPS_PROXY', 'http://alice:Pr0xy#Secret9@127.0.0.1:3128')
    const error = await sendFailure(get('https://api.cloudflare.test/x'))
    expect(error.message).toBe(
      'the proxy URL in HTTPS_PROXY or HTTP_PROXY is not a valid URL (check its port, and percent-encode special characters in its user name and password)',
    )
    expect(error).toMatchObject({ permanent: true, mayHaveReachedServer: false })
  })
})
