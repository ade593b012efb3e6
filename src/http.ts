import { ProxyAgent, request, type Dispatcher } from 'undici'
import { TransportError } from './errors.ts'
import { proxyFor } from './proxy.ts'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE'
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

/** Cloudflare's answers are a few KiB; a larger body is not one of them. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024
/** Failures that prove the request never reached the server, so it cannot have taken effect. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/**
 * HTTP over undici. HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are honoured, as
 * self-hosted runners behind a proxy need.
 */
export function createHttpSend(env: Readonly<Record<string, string | undefined>> = process.env): HttpSend {
  const proxies = new Map<string, Dispatcher>()
  const dispatcherFor = (url: string): Dispatcher | undefined => {
    const proxy = proxyFor(new URL(url), env)
    if (!proxy) return undefined
    const agent = proxies.get(proxy) ?? new ProxyAgent(proxy)
    proxies.set(proxy, agent)
    return agent
  }
  return async (httpRequest, signal) => {
    const dispatcher = dispatcherFor(httpRequest.url)
    try {
      const response = await request(httpRequest.url, {
        method: httpRequest.method,
        headers: httpRequest.headers,
        body: httpRequest.body ?? null,
        signal,
        ...(dispatcher ? { dispatcher } : {}),
      })
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length
        if (size > MAX_RESPONSE_BYTES) {
          response.body.destroy()
          throw new TransportError(`the response body was larger than ${MAX_RESPONSE_BYTES / 1048576} MiB`, true)
        }
        chunks.push(chunk)
      }
      return {
        status: response.statusCode,
        headers: flattenHeaders(response.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      }
    } catch (error) {
      throw toTransportError(error, signal)
    }
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers))
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  return flat
}

export function toTransportError(error: unknown, signal: AbortSignal): TransportError {
  if (error instanceof TransportError) return error
  if (signal.aborted) return new TransportError('no answer before the time limit', true, true)
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  const message = error instanceof Error ? error.message : String(error)
  const detail = code && !message.includes(code) ? `${code}: ${message}` : message
  return new TransportError(`network error (${detail})`, !NOT_SENT_CODES.has(code))
}
