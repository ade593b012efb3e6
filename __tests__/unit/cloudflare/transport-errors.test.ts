import { describe, expect, it } from 'vitest'
import { TransportError } from '../../../src/cloudflare/errors.ts'
import {
  MAX_RESPONSE_BYTES,
  NOT_SENT_CODES,
  errorDetail,
  invalidProxyUrl,
  toTransportError,
} from '../../../src/cloudflare/transport-errors.ts'

const live = new AbortController().signal
const coded = (code: string, message = `failed with ${code}`) => Object.assign(new Error(message), { code })
const traits = (error: TransportError) => ({
  mayHaveReachedServer: error.mayHaveReachedServer,
  timedOut: error.timedOut,
  permanent: error.permanent,
})

describe('toTransportError', () => {
  it('gives a TransportError back as it is', () => {
    const error = new TransportError('x', { mayHaveReachedServer: false })
    expect(toTransportError(error, live)).toBe(error)
  })

  it("is the signal's own reason once it aborted, or a time limit that may have reached the server", () => {
    const budget = new TransportError('budget spent', { mayHaveReachedServer: true, budgetExhausted: true })
    const spent = new AbortController()
    spent.abort(budget)
    expect(toTransportError(new Error('aborted'), spent.signal)).toBe(budget)
    const timedOut = new AbortController()
    timedOut.abort()
    const error = toTransportError(new Error('aborted'), timedOut.signal)
    expect(error.message).toBe('no answer before the time limit')
    expect(traits(error)).toEqual({ mayHaveReachedServer: true, timedOut: true, permanent: false })
  })

  it('knows a request that never left from one that may have reached the server', () => {
    for (const code of NOT_SENT_CODES) expect(toTransportError(coded(code), live).mayHaveReachedServer).toBe(false)
    const reset = toTransportError(coded('ECONNRESET', 'socket hang up'), live)
    expect(reset.message).toBe('network error (ECONNRESET: socket hang up)')
    expect(traits(reset)).toEqual({ mayHaveReachedServer: true, timedOut: false, permanent: false })
    const wrapped = toTransportError(new Error('fetch failed', { cause: coded('ECONNREFUSED') }), live)
    expect(wrapped.message).toBe('network error (ECONNREFUSED: fetch failed)')
    expect(wrapped.mayHaveReachedServer).toBe(false)
  })

  it('calls an untrusted certificate permanent, and says how to trust a proxy that inspects TLS', () => {
    for (const code of [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'CERT_HAS_EXPIRED',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      const error = toTransportError(coded(code), live)
      expect(traits(error)).toEqual({ mayHaveReachedServer: false, timedOut: false, permanent: true })
      expect(error.message).toMatch(/give its CA to Node with NODE_EXTRA_CA_CERTS$/)
    }
    expect(toTransportError(coded('UND_ERR_PRX_TLS', 'bad proxy cert'), live).message).toBe(
      "TLS error with the proxy (UND_ERR_PRX_TLS: bad proxy cert): its certificate is not trusted. Give the proxy's CA to Node with NODE_EXTRA_CA_CERTS",
    )
  })

  it('names an oversized answer, an invalid request, a bad proxy URL and a refused tunnel', () => {
    expect(MAX_RESPONSE_BYTES).toBe(8 * 1024 * 1024)
    const large = toTransportError(coded('UND_ERR_RES_EXCEEDED_MAX_SIZE'), live)
    expect(large.message).toBe('the response body was larger than 8 MiB')
    expect(large.mayHaveReachedServer).toBe(true)
    const invalid = toTransportError(coded('ERR_INVALID_CHAR', 'Invalid character in header'), live)
    expect(invalid.message).toBe('invalid request (ERR_INVALID_CHAR: Invalid character in header)')
    expect(invalid.permanent).toBe(true)
    expect(toTransportError(coded('ERR_INVALID_URL'), live).message).toBe(invalidProxyUrl().message)
    const refused = toTransportError(coded('UND_ERR_ABORTED', 'Proxy response (407) !== 200'), live)
    expect(refused.message).toBe('the proxy refused the connection (Proxy response (407) !== 200)')
    expect(traits(refused)).toEqual({ mayHaveReachedServer: false, timedOut: false, permanent: false })
  })
})

describe('invalidProxyUrl', () => {
  it('is permanent and sent nothing', () => {
    expect(traits(invalidProxyUrl())).toEqual({ mayHaveReachedServer: false, timedOut: false, permanent: true })
  })
})

describe('errorDetail', () => {
  it('leads with the code unless the message names it', () => {
    expect(errorDetail(coded('ECONNRESET', 'socket hang up'))).toBe('ECONNRESET: socket hang up')
    expect(errorDetail(coded('ECONNRESET', 'read ECONNRESET'))).toBe('read ECONNRESET')
    expect(errorDetail(new Error('plain'))).toBe('plain')
    expect(errorDetail('text')).toBe('text')
  })
})

describe('toTransportError, by code', () => {
  const nodeError = coded

  it.each([
    ['ERR_INVALID_CHAR', 'Invalid character in header content ["x-auth-email"]'],
    ['UND_ERR_INVALID_ARG', 'invalid content-length header'],
    ['ERR_INVALID_URL', 'Invalid URL'],
    ['UND_ERR_PRX_TLS', 'TLS error with the proxy'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"],
  ])('marks %s as permanent and never sent', (code, message) => {
    const error = toTransportError(nodeError(code, message), live)
    expect(error).toMatchObject({ permanent: true, mayHaveReachedServer: false })
  })

  it('does not quote an invalid proxy URL, which may hold credentials', () => {
    const error = toTransportError(
      Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input: 'http://u:p#w@proxy:3128' }),
      live,
    )
    expect(error.message).not.toContain('p#w')
  })

  it.each([
    ['ECONNREFUSED', false],
    ['ENOTFOUND', false],
    ['UND_ERR_CONNECT_TIMEOUT', false],
    ['UND_ERR_SOCKET', true],
    ['ECONNRESET', true],
    ['EPIPE', true],
  ])('marks %s as retryable, reached the server: %s', (code, reached) => {
    const error = toTransportError(nodeError(code, 'x'), live)
    expect(error).toMatchObject({ permanent: false, mayHaveReachedServer: reached })
  })
})
