import { describe, expect, it } from 'vitest'
import type { MtlsCertificate } from '../../../src/cloudflare/mtls/answers.ts'
import { buildExpiryReport, flagged, type ExpiryPolicy } from '../../../src/audit/expiry-report.ts'
import { parseNamePattern } from '../../../src/audit/name-pattern.ts'
import { generateKey, issueCertificate, type IssuedCertificate } from '../../../test-kit/pki.ts'

const DAY = 86_400_000
const NOW = new Date('2026-06-01T12:00:00Z')
const at = (days: number): Date => new Date(NOW.getTime() + days * DAY)
const KEY = generateKey('ec')
const ROOT = issueCertificate({ commonName: 'Audit Root', key: KEY, ca: true, notBefore: at(-400), notAfter: at(3000) })

function issued(
  notAfter: Date,
  options: { issuer?: IssuedCertificate; notBefore?: Date; ca?: boolean; cn?: string } = {},
) {
  return issueCertificate({
    commonName: options.cn ?? 'client',
    key: KEY,
    issuer: options.issuer ?? ROOT,
    notBefore: options.notBefore ?? at(-30),
    notAfter,
    ...(options.ca ? { ca: true } : {}),
  })
}

let counter = 0
function listed(pem: string | undefined, fields: Partial<MtlsCertificate> = {}): MtlsCertificate {
  counter++
  return {
    id: `id-${counter}`,
    name: `cert-${counter}`,
    ca: false,
    type: 'custom',
    ...(pem === undefined ? {} : { certificates: pem }),
    ...fields,
  }
}

const POLICY: ExpiryPolicy = { warnDays: 30, failDays: 7, names: [] }
const audit = (listing: MtlsCertificate[], policy: Partial<ExpiryPolicy> = {}) =>
  buildExpiryReport(listing, { ...POLICY, ...policy }, NOW)
const only = (listing: MtlsCertificate[], policy: Partial<ExpiryPolicy> = {}) => {
  const [first, ...rest] = audit(listing, policy).certificates
  expect(rest).toEqual([])
  return first
}

describe('buildExpiryReport: thresholds', () => {
  it.each([
    // [days until notAfter, status, failing, days left]
    [30, 'expiring', false, 30],
    [30 + 1 / 86_400, 'ok', false, 31],
    [7, 'expiring', true, 7],
    [7 + 1 / 86_400, 'expiring', false, 8],
    [1 / 24, 'expiring', true, 1],
    [0, 'expired', true, 0],
    [-2.5, 'expired', true, -2],
    [400, 'ok', false, 400],
  ] as const)('a certificate %s days from expiry is %s (failing: %s, days left %s)', (days, status, failing, left) => {
    const c = only([listed(issued(at(days)).pem)])
    expect(c).toMatchObject({ status, failing, daysLeft: left, source: 'pem' })
    expect(c?.expiresOn).toBe(
      at(days)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    )
  })

  it('with fail-days 0 never fails, and still reports an expired certificate', () => {
    const report = audit([listed(issued(at(-1)).pem), listed(issued(at(2)).pem)], { failDays: 0 })
    expect(report.certificates.map((c) => [c.status, c.failing])).toEqual([
      ['expired', false],
      ['expiring', false],
    ])
  })

  it('with warn-days 0 flags only what fail-days or expiry does', () => {
    const report = audit([listed(issued(at(20)).pem), listed(issued(at(5)).pem), listed(issued(at(-5)).pem)], {
      warnDays: 0,
    })
    expect(report.certificates.map((c) => c.status)).toEqual(['expired', 'expiring', 'ok'])
  })

  it('reports a certificate that is not valid yet as such (clients are refused now), dated by its expiry', () => {
    const c = only([listed(issued(at(200), { notBefore: at(3) }).pem)])
    expect(c).toMatchObject({
      status: 'not-yet-valid',
      failing: false,
      notValidUntil: at(3)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
    })
    const soon = only([listed(issued(at(5), { notBefore: at(1) }).pem)])
    expect(soon).toMatchObject({ status: 'expiring', failing: true })
    expect(soon?.notValidUntil).toBeDefined()
  })
})

describe('buildExpiryReport: chains', () => {
  it('dates a chain by the certificate that expires first, and names it when it is not the first', () => {
    const intermediate = issued(at(5), { ca: true, cn: 'Short Intermediate' })
    const leaf = issued(at(300), { issuer: intermediate })
    const c = only([listed(`${leaf.pem}${intermediate.pem}${ROOT.pem}`)])
    expect(c).toMatchObject({ status: 'expiring', failing: true, daysLeft: 5 })
    expect(c?.expiresFirst).toBe('certificate 2 of 3 (CN=Short Intermediate)')
  })

  it('names no other certificate when the first expires first', () => {
    const c = only([listed(`${issued(at(10)).pem}${ROOT.pem}`)])
    expect(c?.daysLeft).toBe(10)
    expect(c?.expiresFirst).toBeUndefined()
  })

  it("uses Cloudflare's expires_on only when there is no PEM", () => {
    const fromPem = only([listed(issued(at(100)).pem, { expires_on: at(2).toISOString() })])
    expect(fromPem).toMatchObject({ daysLeft: 100, source: 'pem' })
    const fromField = only([listed(undefined, { expires_on: at(2).toISOString() })])
    expect(fromField).toMatchObject({ daysLeft: 2, source: 'expires_on', failing: true })
    const corrupt = only([listed('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n', {})])
    expect(corrupt).toMatchObject({ status: 'unknown', failing: false, expiresOn: '' })
  })

  it.each(['1', '2020', '12/31/2020', 'Tue, 01 Jun 2021 00:00:00 GMT', ''])(
    'reads an expires_on that is not an ISO 8601 time (%j) as expiry unknown, not as a date',
    (expiresOn) => {
      // Date.parse read '1' as 2001-01-01, which failed the step as expired.
      expect(only([listed(undefined, { expires_on: expiresOn })])).toMatchObject({
        status: 'unknown',
        failing: false,
        source: 'none',
      })
    },
  )
})

describe('buildExpiryReport: which certificates', () => {
  it('leaves out the certificates Cloudflare manages', () => {
    const report = audit([
      listed(issued(at(1)).pem, { type: 'gateway_managed' }),
      listed(issued(at(1)).pem, { type: 'access_managed' }),
      listed(issued(at(50)).pem),
    ])
    expect(report.certificates).toHaveLength(1)
    expect(report.leftOut).toEqual({ managed: 2, unmatched: 0 })
  })

  it('audits only the names that match a pattern', () => {
    const names = ['payments-*', 'edge-??', 'exact'].map(parseNamePattern)
    const listing = ['payments-eu', 'payments-', 'edge-01', 'edge-001', 'exact', 'exactly', 'other', ''].map((name) =>
      listed(issued(at(50)).pem, { name }),
    )
    const report = audit(listing, { names })
    expect(report.certificates.map((c) => c.name).sort()).toEqual(['edge-01', 'exact', 'payments-', 'payments-eu'])
    expect(report.leftOut).toEqual({ managed: 0, unmatched: 4 })
  })

  it('sorts by expiry, soonest first, with unknown expiry last', () => {
    const report = audit([
      listed(undefined, { name: 'unknown' }),
      listed(issued(at(90)).pem, { name: 'late' }),
      listed(issued(at(-1)).pem, { name: 'gone' }),
      listed(issued(at(3)).pem, { name: 'soon' }),
    ])
    expect(report.certificates.map((c) => c.name)).toEqual(['gone', 'soon', 'late', 'unknown'])
    expect(flagged(report).map((c) => c.name)).toEqual(['gone', 'soon'])
  })
})
