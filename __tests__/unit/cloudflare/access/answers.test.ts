import { describe, expect, it } from 'vitest'
import { accessCertificateOf, accessPageOf, fingerprintDigits } from '../../../../src/cloudflare/access/answers.ts'
import { ApiError } from '../../../../src/cloudflare/errors.ts'

describe('Access answers', () => {
  it('reads a certificate field by field, null hostnames as none and absent ones as unknown', () => {
    expect(
      accessCertificateOf({
        id: 'a',
        name: 'ca',
        associated_hostnames: ['x.example.com'],
        fingerprint: 'MD5 Fingerprint=AB:CD',
        expires_on: '2030-01-01T00:00:00Z',
        created_at: '2026-01-01T00:00:00Z',
        extra: 1,
      }),
    ).toEqual({
      id: 'a',
      name: 'ca',
      associatedHostnames: ['x.example.com'],
      fingerprint: 'MD5 Fingerprint=AB:CD',
      expiresOn: '2030-01-01T00:00:00Z',
      createdAt: '2026-01-01T00:00:00Z',
    })
    expect(accessCertificateOf({ id: 'a', associated_hostnames: null }).associatedHostnames).toEqual([])
    expect(accessCertificateOf({ id: 'a', name: 3 })).toEqual({ id: 'a' })
  })

  it('refuses a certificate without an id, or with hostnames that are not a list of text', () => {
    expect(() => accessCertificateOf({ name: 'x' })).toThrow(ApiError)
    expect(() => accessCertificateOf({ id: 'a', associated_hostnames: 'x.example.com' })).toThrow(
      /not a list of hostnames/,
    )
    expect(() => accessCertificateOf({ id: 'a', associated_hostnames: [1] })).toThrow(/not a list of hostnames/)
  })

  it('pages by total_count, or by a full page when there is none', () => {
    const two = [{ id: 'a' }, { id: 'b' }]
    expect(accessPageOf(two, { total_count: 3 }, 1, 2).more).toBe(true)
    expect(accessPageOf([{ id: 'c' }], { total_count: 3 }, 2, 2).more).toBe(false)
    expect(accessPageOf(two, undefined, 1, 2).more).toBe(true)
    expect(accessPageOf([{ id: 'a' }], undefined, 1, 2).more).toBe(false)
  })

  it('refuses an answer that is no list, and an empty page short of the total', () => {
    expect(() => accessPageOf({}, undefined, 1, 50)).toThrow(/not a list of Access certificates/)
    expect(() => accessPageOf([], { total_count: 60 }, 2, 50)).toThrow(/page 2 is empty, so the listing is partial/)
  })

  it('compares fingerprints by their digits', () => {
    expect(fingerprintDigits('MD5 Fingerprint=1E:80:0F:7A')).toBe('1e800f7a')
    expect(fingerprintDigits('1e800f7a')).toBe('1e800f7a')
  })
})
