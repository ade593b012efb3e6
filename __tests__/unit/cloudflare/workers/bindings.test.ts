import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import { mtlsBindingsOf } from '../../../../src/cloudflare/workers/bindings.ts'

const ID = 'b2134436-2555-4acf-be5b-26c48136575e'

describe('mtlsBindingsOf', () => {
  it('keeps the mtls_certificate bindings and skips the others', () => {
    expect(
      mtlsBindingsOf(
        [
          { type: 'kv_namespace', name: 'CACHE' },
          { type: 'mtls_certificate', name: 'PAYMENTS_CERT', certificate_id: ID },
        ],
        'x',
      ),
    ).toEqual([{ name: 'PAYMENTS_CERT', certificateId: ID }])
  })

  it('refuses anything else: no list, an untyped binding, an mTLS one without its id', () => {
    for (const wrong of [{}, [{ name: 'A' }], [{ type: 'mtls_certificate', name: 'A' }], [null]]) {
      expect(() => mtlsBindingsOf(wrong, 'Worker w')).toThrow(ApiError)
    }
  })
})
