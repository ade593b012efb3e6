import type { Agent, IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { TransportError } from './errors.ts'

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
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * HTTP over Node's own http and https modules, loaded on first use: they are part of the runtime, so
 * a cold start loads no HTTP library (undici, loaded at start, doubled the action's cold start).
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are honoured through the agents' built-in
 * proxy support (`proxyEnv`, Node 24.5 and later).
 */
export function createHttpSend(env: Readonly<Record<string, string | undefined>> = process.env): HttpSend {
  const agents = new Map<string, Agent>()
  const agentFor = (protocol: string): { agent: Agent; send: typeof import('node:http').request } => {
    // getBuiltinModule, not import(): an ES-module namespace of node:http runs all of its lazy
    // getters (WebSocket and more), which costs more than the rest of a cold start.
    const module = process.getBuiltinModule(protocol === 'https:' ? 'node:https' : 'node:http')
    const agent = agents.get(protocol) ?? new module.Agent({ proxyEnv: { ...env } })
    agents.set(protocol, agent)
    return { agent, send: module.request }
  }
  return async (request, signal) => {
    try {
      const url = new URL(request.url)
      const { agent, send } = agentFor(url.protocol)
      return await sendOnce(send, url, request, { agent, signal })
    } catch (error) {
      throw toTransportError(error, signal)
    }
  }
}

function sendOnce(
  send: typeof import('node:http').request,
  url: URL,
  request: HttpRequest,
  options: { agent: Agent; signal: AbortSignal },
): Promise<HttpResponse> {
  const headers = { ...request.headers, 'content-length': String(Buffer.byteLength(request.body ?? '')) }
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers, ...options }, (response: IncomingMessage) => {
      readBody(response).then(
        (body) => {
          resolve({ status: response.statusCode ?? 0, headers: flattenHeaders(response.headers), body })
        },
        (error: unknown) => {
          outgoing.destroy()
          reject(error instanceof Error ? error : new Error(String(error)))
        },
      )
    })
    outgoing.on('error', reject)
    outgoing.end(request.body)
  })
}

async function readBody(stream: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > MAX_RESPONSE_BYTES) {
      throw new TransportError(`the response body was larger than ${MAX_RESPONSE_BYTES / 1048576} MiB`, {
        mayHaveReachedServer: true,
      })
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

export function toTransportError(error: unknown, signal: AbortSignal): TransportError {
  if (error instanceof TransportError) return error
  if (signal.aborted)
    return new TransportError('no answer before the time limit', { mayHaveReachedServer: true, timedOut: true })
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  const message = error instanceof Error ? error.message : String(error)
  const detail = code && !message.includes(code) ? `${code}: ${message}` : message
  if (code === 'ERR_PROXY_INVALID_CONFIG' || code === 'ERR_INVALID_URL') {
    // Node quotes the proxy URL in its message; the credentials in it are masked, but say it plainly.
    return new TransportError(
      'the proxy URL in HTTPS_PROXY or HTTP_PROXY is not a valid URL (check its port, and percent-encode special characters in its user name and password)',
      { mayHaveReachedServer: false, permanent: true },
    )
  }
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') {
    return new TransportError(`invalid request (${detail})`, { mayHaveReachedServer: false, permanent: true })
  }
  if (isCertificateError(code)) {
    return new TransportError(
      `TLS error (${detail}): the server's certificate is not trusted for this host. If a proxy inspects TLS, give its CA to Node with NODE_EXTRA_CA_CERTS`,
      { mayHaveReachedServer: false, permanent: true },
    )
  }
  return new TransportError(`network error (${detail})`, { mayHaveReachedServer: !NOT_SENT_CODES.has(code) })
}

/** OpenSSL's verification failures and Node's host name mismatch: the handshake failed, no request was sent. */
function isCertificateError(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_CERT') ||
    /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_|HOSTNAME_MISMATCH)/.test(code)
  )
}
