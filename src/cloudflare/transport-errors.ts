import { errorCode, errorMessage } from '../core/errors.ts'
import { TransportError } from './errors.ts'

/** What undici and Node throw, as the TransportError that says whether the request can have taken effect. */

/** Cloudflare's answers are a few KiB; a larger body is not one of them. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024

/** Failures that prove the request never reached the server, so it cannot have taken effect. */
export const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

export const invalidProxyUrl = (): TransportError =>
  new TransportError(
    'the proxy URL in HTTPS_PROXY or HTTP_PROXY is not a valid URL (check its port, and percent-encode special characters in its user name and password)',
    { mayHaveReachedServer: false, permanent: true },
  )

export function toTransportError(error: unknown, signal: AbortSignal): TransportError {
  if (error instanceof TransportError) return error
  // The signal's owner (retry.ts) says which time ran out.
  if (signal.aborted) {
    return signal.reason instanceof TransportError
      ? signal.reason
      : new TransportError('no answer before the time limit', { mayHaveReachedServer: true, timedOut: true })
  }
  const code = errorCode(error)
  const message = errorMessage(error)
  const detail = errorDetail(error)
  switch (code) {
    case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
      return new TransportError(`the response body was larger than ${MAX_RESPONSE_BYTES / 1048576} MiB`, {
        mayHaveReachedServer: true,
      })
    case 'ERR_INVALID_URL':
      return invalidProxyUrl()
    case 'UND_ERR_INVALID_ARG':
    case 'ERR_INVALID_CHAR':
    case 'ERR_INVALID_HTTP_TOKEN':
      return new TransportError(`invalid request (${detail})`, { mayHaveReachedServer: false, permanent: true })
    case 'UND_ERR_PRX_TLS':
      return new TransportError(
        `TLS error with the proxy (${detail}): its certificate is not trusted. Give the proxy's CA to Node with NODE_EXTRA_CA_CERTS`,
        { mayHaveReachedServer: false, permanent: true },
      )
    case 'UND_ERR_ABORTED':
      // Not our signal (checked above): the proxy refused the CONNECT tunnel, so nothing reached Cloudflare.
      return new TransportError(`the proxy refused the connection (${message})`, { mayHaveReachedServer: false })
  }
  if (isCertificateError(code)) {
    return new TransportError(
      `TLS error (${detail}): the server's certificate is not trusted for this host. If a proxy inspects TLS, give its CA to Node with NODE_EXTRA_CA_CERTS`,
      { mayHaveReachedServer: false, permanent: true },
    )
  }
  return new TransportError(`network error (${detail})`, { mayHaveReachedServer: !NOT_SENT_CODES.has(code) })
}

/** The error's message, led by its code when the message does not name it. */
export function errorDetail(error: unknown): string {
  const code = errorCode(error)
  const message = errorMessage(error)
  return code && !message.includes(code) ? `${code}: ${message}` : message
}

/** OpenSSL's verification failures and Node's host name mismatch: the handshake failed, no request was sent. */
function isCertificateError(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_CERT') ||
    /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_|HOSTNAME_MISMATCH)/.test(code)
  )
}
