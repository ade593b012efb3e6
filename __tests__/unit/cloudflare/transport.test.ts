import { describe, expect, it } from 'vitest'
import { ApiError, TransportError } from '../../../src/cloudflare/errors.ts'
import type { HttpSend } from '../../../src/cloudflare/http.ts'
import { CloudflareTransport } from '../../../src/cloudflare/transport.ts'
import { ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN } from '../../../test-kit/fixtures.ts'
import { BASE_URL, FakeClock, apiSettings, failure, scriptedSend, success, type Step } from '../fakes.ts'

const transport = (send: HttpSend, overrides: Parameters<typeof apiSettings>[0] = {}) => {
  const debug: string[] = []
  const api = new CloudflareTransport(apiSettings(overrides), send, new FakeClock(), {
    info: () => undefined,
    debug: (line) => debug.push(line),
  })
  return { api, debug }
}

const lostAnswer = () => new TransportError('socket hang up', { mayHaveReachedServer: true })

describe('CloudflareTransport.call', () => {
  it('signs the request with the API token, sends the body as JSON, and gives the envelope', async () => {
    const send = scriptedSend(success({ id: 'x' }))
    const { api, debug } = transport(send)
    const answer = await api.call('make a thing', 'POST', '/accounts/a/things', { name: 'n' })
    expect(answer).toEqual({ result: { id: 'x' } })
    expect(send.requests).toEqual([
      {
        method: 'POST',
        url: `${BASE_URL}/accounts/a/things`,
        headers: {
          accept: 'application/json',
          'user-agent': 'cloudflare-mtls-certificate-action/1',
          authorization: `Bearer ${API_TOKEN}`,
          'content-type': 'application/json',
        },
        body: '{"name":"n"}',
      },
    ])
    expect(debug).toEqual([`POST ${BASE_URL}/accounts/a/things answered HTTP 200 in 0 ms`])
  })

  it('signs with api-email and api-key, and sends no body or content type without one', async () => {
    const send = scriptedSend(success(null))
    const { api } = transport(send, { credentials: { kind: 'global-key', email: API_EMAIL, key: API_KEY } })
    await api.call('read', 'GET', '/x')
    expect(send.requests[0]?.headers).toEqual({
      accept: 'application/json',
      'user-agent': 'cloudflare-mtls-certificate-action/1',
      'x-auth-email': API_EMAIL,
      'x-auth-key': API_KEY,
    })
    expect(send.requests[0]).not.toHaveProperty('body')
  })

  it('looks first, before writing again, when an earlier attempt may have taken effect', async () => {
    const send = scriptedSend(lostAnswer())
    const { api } = transport(send, { maxRetries: 2 })
    let looked = 0
    const answer = await api.call(
      'make a thing',
      'POST',
      '/things',
      { name: 'n' },
      {
        lookFirst: () => {
          looked++
          return Promise.resolve({ result: 'found' })
        },
      },
    )
    expect(answer).toEqual({ result: 'found' })
    expect(looked).toBe(1)
    expect(send.requests).toHaveLength(1)
  })

  it('writes again when looking first finds nothing', async () => {
    const steps: Step[] = [lostAnswer(), success('made')]
    const send = scriptedSend(...steps)
    const { api } = transport(send, { maxRetries: 2 })
    const answer = await api.call('make', 'POST', '/things', {}, { lookFirst: () => Promise.resolve(undefined) })
    expect(answer).toEqual({ result: 'made' })
    expect(send.requests.map((request) => request.method)).toEqual(['POST', 'POST'])
  })

  it("explains a zone call's failure in the zone's terms", async () => {
    const { api } = transport(scriptedSend(failure(404, [])), { maxRetries: 0 })
    const error = await api.call('associate', 'PUT', '/zones/z/x', {}, { zoneId: 'z' }).catch((e: unknown) => e)
    expect(String(error)).toContain('Check zone-id: z must be the ID of a zone')
  })
})

describe('CloudflareTransport.readAccount', () => {
  it('parses the result with its result_info', async () => {
    const send = scriptedSend({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ success: true, errors: [], result: [1, 2], result_info: { count: 2 } }),
    })
    const { api } = transport(send)
    const read = await api.readAccount('read', '/list', (result, info) => ({ result, info }))
    expect(read).toEqual({ result: [1, 2], info: { count: 2 } })
  })

  it('answers `absent` for a 404 when given one, and fails without it', async () => {
    const { api } = transport(scriptedSend(failure(404, [{ code: 10007, message: 'not found' }])), { maxRetries: 0 })
    expect(await api.readAccount('read', '/gone', () => ['never'], [])).toEqual([])
    const { api: strict } = transport(scriptedSend(failure(404, [])), { maxRetries: 0 })
    const error = await strict.readAccount('read', '/gone', () => 'never').catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(ApiError)
    expect(String(error)).toContain('HTTP 404')
  })

  it('retries a read whose answer was lost, as a read: a GET cannot have changed the account', async () => {
    const send = scriptedSend(lostAnswer(), success(['a']))
    const { api } = transport(send, { maxRetries: 1 })
    let looked = 0
    const lookFirst = () => {
      looked++
      return Promise.resolve({ result: 'found' })
    }
    expect(await api.call('read', 'GET', '/list', undefined, { lookFirst })).toEqual({ result: ['a'] })
    expect(looked).toBe(0)
    expect(send.requests).toHaveLength(2)
  })
})

describe('CloudflareTransport settings', () => {
  it('gives its account, time budget and the clock it runs on', () => {
    const { api } = transport(scriptedSend(), { timeoutSeconds: 42 })
    expect(api.accountId).toBe(ACCOUNT_ID)
    expect(api.timeoutSeconds).toBe(42)
    expect(api.clock.now()).toBe(Date.parse('2025-03-01T12:00:00Z'))
    expect(api.outOfTime()).toBe(false)
  })
})
