import { checkBypass } from '@actions/http-client/lib/proxy'
import { Agent, Pool, ProxyAgent, request, type Dispatcher } from 'undici'
import { TransportError } from './errors.ts'
import { errorCode } from '../core/errors.ts'
import {
  MAX_RESPONSE_BYTES,
  NOT_SENT_CODES,
  errorDetail,
  invalidProxyUrl,
  toTransportError,
} from './transport-errors.ts'

export { MAX_RESPONSE_BYTES, toTransportError } from './transport-errors.ts'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
}

export interface HttpResponse {
  status: number
  headers: Readonly<Record<string, string | undefined>>
  body: string
}

/** Sends one request; rejects with TransportError when no whole answer arrives. */
export type HttpSend = (request: HttpRequest, signal: AbortSignal) => Promise<HttpResponse>

export interface HttpClient {
  send: HttpSend
  /** Closes the connections kept alive for the next request. */
  close(): Promise<void>
}

/**
 * Connection errors in a row, with no tunnel up in between, after which the proxy is taken to drop
 * every tunnel request (CONNECT): undici 6 would reconnect at once, for ever.
 */
export const PROXY_DROPS_IN_A_ROW = 3

/**
 * HTTP through undici, with one dispatcher for the run. The proxy is chosen by the toolkit's own
 * rules (`@actions/http-client`: HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, loopback hosts
 * never proxied) and reached through an undici ProxyAgent, as `@actions/github` does for Octokit.
 * undici caps the answer's size and tunnels through the proxy.
 */
export function createHttpClient(): HttpClient {
  let dispatcher: Dispatcher | undefined
  /** The proxy the dispatcher goes through, named without its credentials, and the variable it came from. */
  let proxyName: string | undefined
  /** Each request in flight, to fail when the proxy gives up. */
  const inFlight = new Set<(error: TransportError) => void>()
  const proxyDropsEveryTunnel = (error: TransportError): void => {
    for (const fail of inFlight) fail(error)
    // Stops undici's reconnect loop; the next request starts a fresh dispatcher.
    void dispatcher?.destroy().catch(() => undefined)
    dispatcher = undefined
  }
  return {
    send: async (httpRequest, signal) => {
      // undici 6's ProxyAgent acts on the signal only once the tunnel is up: the request races it instead.
      let fail: (error: unknown) => void = () => undefined
      const failed = new Promise<never>((_, reject) => (fail = reject))
      const onAbort = (): void => {
        fail(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      inFlight.add(fail)
      try {
        const url = new URL(httpRequest.url)
        if (!dispatcher) {
          const proxy = proxyFor(url)
          proxyName = proxy && `the proxy at ${proxyAddress(proxy.url)} (from ${proxy.variable})`
          dispatcher = createDispatcher(proxy?.url, proxyDropsEveryTunnel)
        }
        const exchange = exchangeWith(dispatcher, url, httpRequest, signal)
        // The loser's late failure is not this request's any more.
        exchange.catch(() => undefined)
        if (signal.aborted) onAbort()
        return await Promise.race([exchange, failed])
      } catch (error) {
        // Through a proxy, every connection is to the proxy: a refused one is the proxy's, not the API's.
        if (proxyName && !signal.aborted && NOT_SENT_CODES.has(errorCode(error))) {
          throw new TransportError(`${proxyName} could not be reached (${errorDetail(error)})`, {
            mayHaveReachedServer: false,
          })
        }
        throw toTransportError(error, signal)
      } finally {
        signal.removeEventListener('abort', onAbort)
        inFlight.delete(fail)
      }
    },
    close: async () => {
      // destroy, not close: close waits for queued requests, which behind a dead proxy never end.
      await dispatcher?.destroy()
    },
  }
}

async function exchangeWith(
  dispatcher: Dispatcher,
  url: URL,
  httpRequest: HttpRequest,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const response = await request(url, {
    method: httpRequest.method,
    headers: httpRequest.headers,
    body: httpRequest.body ?? null,
    dispatcher,
    signal,
  })
  return {
    status: response.statusCode,
    headers: flattenHeaders(response.headers),
    body: await response.body.text(),
  }
}

/** The proxy's address without its user name and password, which must never be printed. */
const proxyAddress = (proxy: URL): string =>
  `${proxy.hostname}:${proxy.port || (proxy.protocol === 'https:' ? '443' : '80')}`

function createDispatcher(proxy: URL | undefined, onProxyGiveUp: (error: TransportError) => void): Dispatcher {
  const options = { maxResponseSize: MAX_RESPONSE_BYTES }
  if (!proxy) return new Agent(options)
  let dropsInARow = 0
  const watched = (origin: string | URL, poolOptions: object): Dispatcher =>
    new Pool(origin, poolOptions)
      .on('connect', () => {
        dropsInARow = 0
      })
      .on('connectionError', (_origin, _targets, error) => {
        // Other connection errors fail the request itself; only a closed socket is retried by undici, at once.
        dropsInARow = errorCode(error) === 'UND_ERR_SOCKET' ? dropsInARow + 1 : 0
        if (dropsInARow < PROXY_DROPS_IN_A_ROW) return
        dropsInARow = 0
        onProxyGiveUp(
          new TransportError(
            `the proxy at ${proxyAddress(proxy)} dropped the tunnel request (CONNECT) ${PROXY_DROPS_IN_A_ROW} times in a row (${errorDetail(error)})`,
            { mayHaveReachedServer: false },
          ),
        )
      })
  return new ProxyAgent({ uri: proxy.href, ...options, factory: watched })
}

/**
 * The proxy for the URL, by the toolkit's rules (its variables, NO_PROXY, loopback never proxied). A
 * value without a scheme (`proxy:3128`, `user:pw@proxy:3128`) is taken as http://, as curl does. One
 * that does not parse is refused, not ignored: going direct behind a proxy fails with a misleading
 * network error.
 */
function proxyFor(url: URL): { url: URL; variable: string } | undefined {
  const { env } = process
  const names = url.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const variable = names.find((name) => env[name]) ?? ''
  const value = env[variable]
  if (!value || checkBypass(url)) return undefined
  let proxy: URL
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`)
  } catch {
    throw invalidProxyUrl()
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new TransportError(
      `the proxy URL in ${variable} is a ${proxy.protocol.slice(0, -1)}: URL, and only http:// and https:// proxies are supported: give the proxy's http:// address`,
      { mayHaveReachedServer: false, permanent: true },
    )
  }
  return { url: proxy, variable }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
