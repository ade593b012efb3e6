import { describe, expect, it } from 'vitest'
import { OperationError } from '../../../src/core/errors.ts'
import {
  CUSTOM_TYPE,
  isCertificateId,
  isCertificateName,
  isCustom,
  parseTime,
  refusedId,
} from '../../../src/cloudflare/values.ts'

describe('isCertificateId', () => {
  it('takes a UUID, in either case, or 32 hex digits', () => {
    expect(isCertificateId('2458ce5a-0c35-4c7f-82c7-8e9487d3ff60')).toBe(true)
    expect(isCertificateId('2458CE5A-0C35-4C7F-82C7-8E9487D3FF60')).toBe(true)
    expect(isCertificateId('023e105f4ecef8ad9ca31a8372d0c353')).toBe(true)
  })

  it('refuses anything that could change the URL, and anything not text', () => {
    for (const id of [
      '',
      '..',
      'a/b',
      '023e105f4ecef8ad9ca31a8372d0c35',
      '023e105f4ecef8ad9ca31a8372d0c353/..',
      42,
      null,
    ])
      expect(isCertificateId(id)).toBe(false)
  })
})

describe('refusedId', () => {
  it("is an OperationError naming the id and what Cloudflare's ids look like", () => {
    const error = refusedId('../x')
    expect(error).toBeInstanceOf(OperationError)
    expect(error.message).toBe(
      "Refused to send a request for certificate id '../x': it is not one Cloudflare gives (a UUID or 32 hex digits)",
    )
  })
})

describe('parseTime', () => {
  it('reads ISO 8601 times with an offset, with or without seconds and fractions', () => {
    expect(parseTime('2025-11-01T00:00:00Z')).toBe(Date.UTC(2025, 10, 1))
    expect(parseTime('2025-11-01T00:00:00.123456Z')).toBe(Date.UTC(2025, 10, 1, 0, 0, 0, 123))
    expect(parseTime('2025-11-01T02:00+02:00')).toBe(Date.UTC(2025, 10, 1))
  })

  it('refuses what Date.parse alone would take: a bare number, a date without time or offset, an invalid date', () => {
    for (const value of [
      '1',
      '2025',
      '2025-11-01',
      '2025-11-01T00:00:00',
      '2025-13-45T00:00:00Z',
      1_700_000_000_000,
      undefined,
    ])
      expect(parseTime(value)).toBeUndefined()
  })
})

describe('isCustom', () => {
  it("is a user's upload: type custom, or no type at all", () => {
    expect(CUSTOM_TYPE).toBe('custom')
    expect(isCustom({ type: 'custom' })).toBe(true)
    expect(isCustom({})).toBe(true)
    expect(isCustom({ type: 'gateway_ca' })).toBe(false)
    expect(isCustom({ type: null })).toBe(false)
  })
})

describe('isCertificateName', () => {
  it('takes one line of at most 200 characters', () => {
    expect(isCertificateName('payments-client 2025')).toBe(true)
    expect(isCertificateName('x'.repeat(200))).toBe(true)
    expect(isCertificateName('x'.repeat(201))).toBe(false)
    expect(isCertificateName('two\nlines')).toBe(false)
    expect(isCertificateName('tab\there')).toBe(false)
  })
})
