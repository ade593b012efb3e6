import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import { hyperdriveConfigOf, listHyperdriveConfigs } from '../../../../src/cloudflare/hyperdrive/configs.ts'
import { fakeApi, json, scriptedSend } from '../../fakes.ts'

const CLIENT = 'b2134436-2555-4acf-be5b-26c48136575e'
const CA = 'c2134436-2555-4acf-be5b-26c48136575e'

describe('hyperdriveConfigOf', () => {
  it('reads the client and CA certificate ids of mtls, none without it', () => {
    expect(
      hyperdriveConfigOf({ id: 'h1', name: 'orders-db', mtls: { mtls_certificate_id: CLIENT, ca_certificate_id: CA } }),
    ).toEqual({ id: 'h1', name: 'orders-db', clientCertificateId: CLIENT, caCertificateId: CA })
    expect(hyperdriveConfigOf({ id: 'h1', name: 'orders-db', origin: {} })).toEqual({ id: 'h1', name: 'orders-db' })
  })
  it('refuses an mtls of another shape and a config without id and name', () => {
    expect(() => hyperdriveConfigOf({ id: 'h1', name: 'n', mtls: 'on' })).toThrow(ApiError)
    expect(() => hyperdriveConfigOf({ id: 'h1', name: 'n', mtls: { ca_certificate_id: 7 } })).toThrow(ApiError)
    expect(() => hyperdriveConfigOf({ name: 'n' })).toThrow(ApiError)
  })
})

describe('listHyperdriveConfigs', () => {
  it('refuses a list that counts more than came and has no more pages', async () => {
    const send = scriptedSend(
      json(200, { success: true, errors: [], messages: [], result: [], result_info: { count: 0, total_count: 4 } }),
    )
    await expect(listHyperdriveConfigs(fakeApi(send, { maxRetries: 0 }).api)).rejects.toThrow(
      /Hyperdrive configs may be partial/,
    )
  })
})
