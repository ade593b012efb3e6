import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import { certificateBindingsOf, workerScriptNamesOf } from '../../../../src/cloudflare/workers/answers.ts'

/** The Workers answers are read as what they say or refused: never as "no Worker binds it". */

describe('workerScriptNamesOf', () => {
  it('gives the script names of a whole list', () => {
    expect(workerScriptNamesOf([{ id: 'payments' }, { id: 'api' }], { page: 1, total_pages: 1 })).toEqual([
      'payments',
      'api',
    ])
    expect(workerScriptNamesOf([{ id: 'payments' }])).toEqual(['payments'])
  })

  it('refuses a list that result_info says goes on past this page: an unseen Worker could bind a certificate', () => {
    expect(() => workerScriptNamesOf([{ id: 'payments' }], { page: 1, total_pages: 3 })).toThrow(ApiError)
    expect(() => workerScriptNamesOf([{ id: 'payments' }], { page: 1, total_pages: 3 })).toThrow(
      /page 1 of 3.*which Workers bind a certificate is unknown/,
    )
  })

  it('refuses an answer that is not a list of scripts with ids', () => {
    expect(() => workerScriptNamesOf({ id: 'payments' })).toThrow(ApiError)
    expect(() => workerScriptNamesOf([{ name: 'payments' }])).toThrow(ApiError)
  })
})

describe('certificateBindingsOf', () => {
  it('keeps the mtls_certificate bindings and refuses one without its certificate id', () => {
    const bindings = [
      { type: 'kv_namespace', name: 'CACHE' },
      { type: 'mtls_certificate', name: 'PAYMENTS_CERT', certificate_id: 'b2134436-2555-4acf-be5b-26c48136575e' },
    ]
    expect(certificateBindingsOf({ bindings })).toEqual([
      { name: 'PAYMENTS_CERT', certificateId: 'b2134436-2555-4acf-be5b-26c48136575e' },
    ])
    expect(() => certificateBindingsOf({ bindings: [{ type: 'mtls_certificate', name: 'X' }] })).toThrow(ApiError)
    expect(() => certificateBindingsOf({})).toThrow(ApiError)
  })
})
