import { describe, expect, it } from 'vitest'
import { keepBoundCertificates, readWorkerBindings } from '../../../src/wrangler/workers.ts'
import { failure, fakeApi, scriptedSend, success } from '../fakes.ts'
import { BASE_URL } from '../fakes.ts'
import { ACCOUNT_ID } from '../../../test-kit/fixtures.ts'

const OLD = '11111111-1111-4111-8111-111111111111'
const NEW = '33333333-3333-4333-8333-333333333333'
const SCRIPTS = `${BASE_URL}/accounts/${ACCOUNT_ID}/workers/scripts`
const settingsOf = (bindings: unknown[]) =>
  success({ bindings, compatibility_date: '2025-01-01', usage_model: 'standard' })
const mtls = (name: string, id: string) => ({ type: 'mtls_certificate', name, certificate_id: id })

describe('readWorkerBindings', () => {
  it('reads the named Workers: their mtls_certificate bindings, and none for a Worker that does not exist', async () => {
    const send = scriptedSend(
      settingsOf([{ type: 'plain_text', name: 'MODE', text: 'live' }, mtls('PAYMENTS_CERT', OLD)]),
      failure(404, [{ code: 10007, message: 'This Worker does not exist on your account.' }]),
    )
    const { api } = fakeApi(send, { maxRetries: 0 })
    const result = await readWorkerBindings(api, ['payments', 'payments-staging'])
    expect(result).toEqual({
      known: true,
      workers: ['payments', 'payments-staging'],
      bindings: [{ worker: 'payments', binding: 'PAYMENTS_CERT', certificateId: OLD }],
    })
    expect(send.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      `GET ${SCRIPTS}/payments/settings`,
      `GET ${SCRIPTS}/payments-staging/settings`,
    ])
  })

  it('lists every Worker of the account first, then reads each', async () => {
    const send = scriptedSend(
      success([{ id: 'a', etag: 'x' }, { id: 'b' }]),
      settingsOf([mtls('CERT', NEW)]),
      settingsOf([]),
    )
    const result = await readWorkerBindings(fakeApi(send).api, 'every')
    expect(result).toEqual({
      known: true,
      workers: ['a', 'b'],
      bindings: [{ worker: 'a', binding: 'CERT', certificateId: NEW }],
    })
    expect(send.requests[0]?.url).toBe(SCRIPTS)
  })

  it.each([
    [
      'a 403',
      failure(403, [{ code: 10000, message: 'Authentication error' }]),
      /HTTP 403: \[10000\] Authentication error/,
    ],
    [
      'settings without bindings',
      success({ usage_model: 'standard' }),
      /not a Worker's settings with a list of bindings/,
    ],
    [
      'an mtls binding without an id',
      settingsOf([{ type: 'mtls_certificate', name: 'X' }]),
      /mtls_certificate binding/,
    ],
  ])('is unknown on %s, with one message naming the permission', async (_, answer, reason) => {
    const result = await readWorkerBindings(fakeApi(scriptedSend(answer), { maxRetries: 0 }).api, ['payments'])
    expect(result.known).toBe(false)
    if (result.known) return
    expect(result.message).toMatch(reason)
    expect(result.message).toContain('"Account → Workers Scripts → Read"')
    expect(result.message).toContain('every older certificate is kept')
  })

  it('is unknown when the listing is not a list, or names a Worker it cannot ask about', async () => {
    expect((await readWorkerBindings(fakeApi(scriptedSend(success({}))).api, 'every')).known).toBe(false)
    const odd = await readWorkerBindings(fakeApi(scriptedSend(success([{ id: '../x' }]))).api, 'every')
    expect(odd.known).toBe(false)
  })
})

describe('keepBoundCertificates', () => {
  const known = {
    known: true as const,
    workers: ['payments', 'api'],
    bindings: [
      { worker: 'payments', binding: 'PAYMENTS_CERT', certificateId: OLD },
      { worker: 'api', binding: 'CLIENT', certificateId: OLD },
    ],
  }

  it('keeps a candidate a Worker binds, saying which, and frees the others', () => {
    const other = '44444444-4444-4444-8444-444444444444'
    expect(keepBoundCertificates(known, [OLD, other])).toEqual({
      kept: [{ id: OLD, reason: 'bound by Worker payments (binding PAYMENTS_CERT) and Worker api (binding CLIENT)' }],
      free: [other],
    })
  })

  it('keeps every candidate when the bindings are unknown', () => {
    const result = keepBoundCertificates({ known: false, message: 'x' }, [OLD, NEW])
    expect(result.free).toEqual([])
    expect(result.kept.map((kept) => kept.id)).toEqual([OLD, NEW])
  })
})
