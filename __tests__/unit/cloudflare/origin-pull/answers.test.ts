import { describe, expect, it } from 'vitest'
import {
  enabledOf,
  hostnameAssignmentOf,
  originPullCertificateOf,
  originPullListOf,
} from '../../../../src/cloudflare/origin-pull/answers.ts'

describe('origin pull answers', () => {
  it('reads a certificate, dropping a private key Cloudflare might echo', () => {
    const read = originPullCertificateOf({
      id: 'a',
      status: 'active',
      certificate: 'PEM',
      private_key: 'KEY',
      enabled: true,
      expires_on: '2030-01-01T00:00:00Z',
    })
    expect(read).toEqual({
      id: 'a',
      status: 'active',
      certificate: 'PEM',
      enabled: true,
      expiresOn: '2030-01-01T00:00:00Z',
    })
    expect(JSON.stringify(read)).not.toContain('KEY')
    expect(originPullCertificateOf({ id: 'a' }).status).toBe('unknown')
    expect(() => originPullCertificateOf({ status: 'active' })).toThrow(/with an id/)
  })

  it('refuses a listing that is no list or says there is more', () => {
    expect(originPullListOf([{ id: 'a' }], { total_pages: 1, total_count: 1 })).toHaveLength(1)
    expect(() => originPullListOf({}, undefined)).toThrow(/not a list/)
    expect(() => originPullListOf([{ id: 'a' }], { total_pages: 2 })).toThrow(/the listing is partial/)
    expect(() => originPullListOf([{ id: 'a' }], { total_count: 5 })).toThrow(/the listing is partial/)
  })

  it("reads a hostname's assignment, and refuses another hostname's", () => {
    expect(
      hostnameAssignmentOf(
        { hostname: 'a.example.com', cert_id: 'c', status: 'active', cert_status: 'active', enabled: null },
        'a.example.com',
      ),
    ).toEqual({
      hostname: 'a.example.com',
      certId: 'c',
      status: 'active',
      certStatus: 'active',
      enabled: null,
    })
    expect(() => hostnameAssignmentOf({ hostname: 'b.example.com' }, 'a.example.com')).toThrow(
      /assignment of a.example.com/,
    )
    expect(() => hostnameAssignmentOf([], 'a.example.com')).toThrow(/assignment/)
  })

  it('reads the setting only as true or false', () => {
    expect(enabledOf({ enabled: false })).toBe(false)
    expect(() => enabledOf({ enabled: 'yes' })).toThrow(/origin pull setting/)
  })
})
