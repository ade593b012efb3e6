import { describe, expect, it } from 'vitest'
import { MAX_ANNOTATIONS, auditAnnotations, auditOutputs, describeCertificate } from '../../../src/audit/report.ts'
import { renderAuditSummary } from '../../../src/audit/summary.ts'
import type { AuditedCertificate, ExpiryPolicy, ExpiryReport } from '../../../src/audit/expiry-report.ts'
import { auditedCertificate } from '../fakes.ts'

const POLICY: ExpiryPolicy = { warnDays: 30, failDays: 7, names: [] }

const certificate = auditedCertificate

const report = (certificates: AuditedCertificate[]): ExpiryReport => ({
  certificates,
  leftOut: { managed: 0, unmatched: 0 },
})
const many = (count: number, overrides: Partial<AuditedCertificate>): AuditedCertificate[] =>
  Array.from({ length: count }, (_, i) => certificate({ id: `id-${i}`, name: `cert-${i}`, ...overrides }))

describe('auditAnnotations', () => {
  it('warns about a certificate not valid yet, as clients using it are refused now', () => {
    const c = certificate({ status: 'not-yet-valid', daysLeft: 200, notValidUntil: '2026-06-04T12:00:00Z' })
    expect(auditAnnotations(report([c]), POLICY)).toEqual({
      errors: [],
      warnings: [
        "Certificate 'payments-client' (leaf, id id-1) is not valid until 2026-06-04T12:00:00Z (clients using it are refused until then) and expires in 200 days, on 2026-06-20T12:00:00Z.",
      ],
    })
    expect(renderAuditSummary(report([c]), POLICY, 'acct')).toContain('⚠️ not valid yet')
  })

  it('gives one warning per expiring certificate and one error per failing one, up to ten each', () => {
    const { errors, warnings } = auditAnnotations(
      report([
        ...many(MAX_ANNOTATIONS, { failing: true, daysLeft: 3 }),
        ...many(2, { status: 'expiring' }),
        certificate({ status: 'ok', daysLeft: 300 }),
      ]),
      POLICY,
    )
    expect(errors).toHaveLength(MAX_ANNOTATIONS)
    expect(errors[0]).toContain("'cert-0'")
    expect(errors[0]).toContain('in 3 days')
    expect(warnings).toHaveLength(2)
  })

  it('groups the annotations of one level into one past ten, naming the first ten', () => {
    const { errors, warnings } = auditAnnotations(
      report([...many(MAX_ANNOTATIONS + 2, { failing: true, daysLeft: 2 }), ...many(11, {})]),
      POLICY,
    )
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^12 certificates expire within fail-days \(7\) or have expired: /)
    expect(errors[0]).toContain("'cert-9' (in 2 days)")
    expect(errors[0]).not.toContain("'cert-10'")
    expect(errors[0]).toContain('and 2 more')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^11 certificates /)
  })
})

describe('describeCertificate', () => {
  it('says which certificate of the chain expires first, and what uses it', () => {
    const text = describeCertificate(
      certificate({ expiresFirst: 'certificate 2 of 3 (CN=Issuing CA)', inUse: ['api_shield', 'gateway'] }),
    )
    expect(text).toBe(
      "Certificate 'payments-client' (leaf, id id-1) expires in 19 days, on 2026-06-20T12:00:00Z; certificate 2 of 3 (CN=Issuing CA) of its chain expires first; in use by api_shield, gateway.",
    )
  })

  it('says when an expired one expired, and that nothing uses an unused one', () => {
    expect(describeCertificate(certificate({ status: 'expired', daysLeft: -3, ca: true, inUse: [] }))).toBe(
      "Certificate 'payments-client' (CA, id id-1) expired on 2026-06-20T12:00:00Z; not in use.",
    )
  })
})

describe('auditOutputs', () => {
  it('lists the expiring and expired certificates, soonest first, and counts them', () => {
    const outputs = auditOutputs(
      report([
        certificate({ id: 'a', status: 'expired', daysLeft: -1, inUse: ['api_shield'] }),
        certificate({ id: 'b', daysLeft: 5, failing: true }),
        certificate({ id: 'c', status: 'ok', daysLeft: 90 }),
      ]),
    )
    expect(JSON.parse(outputs.expiring)).toEqual([
      {
        id: 'a',
        name: 'payments-client',
        ca: false,
        expires_on: '2026-06-20T12:00:00Z',
        days_left: -1,
        in_use: ['api_shield'],
      },
      { id: 'b', name: 'payments-client', ca: false, expires_on: '2026-06-20T12:00:00Z', days_left: 5, in_use: null },
    ])
    expect(outputs).toMatchObject({ 'expiring-count': '2', 'expired-count': '1', total: '3' })
  })
})
