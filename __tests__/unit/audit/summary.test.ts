import { describe, expect, it } from 'vitest'
import { renderAuditSummary } from '../../../src/audit/summary.ts'
import type { AuditedCertificate, ExpiryPolicy, ExpiryReport } from '../../../src/audit/expiry-report.ts'
import { parseNamePattern } from '../../../src/audit/name-pattern.ts'
import { auditedCertificate } from '../fakes.ts'

const POLICY: ExpiryPolicy = { warnDays: 30, failDays: 7, names: [] }

const certificate = auditedCertificate

const report = (certificates: AuditedCertificate[], leftOut = { managed: 0, unmatched: 0 }): ExpiryReport => ({
  certificates,
  leftOut,
})

describe('renderAuditSummary', () => {
  it('escapes every value from outside and shows the table in the order given', () => {
    const html = renderAuditSummary(
      report([
        certificate({ id: '<b>x</b>', name: 'a|b\n<script>', inUse: ['svc<1>'] }),
        certificate({ id: 'z', name: '', status: 'ok' }),
      ]),
      { ...POLICY, names: [parseNamePattern('<*>')] },
      '023e105f4ecef8ad9ca31a8372d0c353',
    )
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<b>x')
    expect(html).toContain('a&#124;b\\n&lt;script&gt;')
    expect(html).toContain('<code>&lt;*&gt;</code>')
    expect(html.indexOf('&lt;b&gt;x')).toBeLessThan(html.indexOf('<code>z</code>'))
    expect(html).toContain('<em>(unnamed)</em>')
    expect(html).not.toMatch(/\n\s*\n/)
  })
})

describe('renderAuditSummary, its headline and scope', () => {
  it('counts what expires, names the thresholds, what was left out, and how many fail the step', () => {
    const html = renderAuditSummary(
      report(
        [
          certificate({ id: 'a', failing: true, daysLeft: 3 }),
          certificate({ id: 'b', status: 'expired', failing: true, daysLeft: -2 }),
          certificate({ id: 'c', status: 'ok', daysLeft: 300 }),
        ],
        { managed: 2, unmatched: 1 },
      ),
      POLICY,
      'acct',
    )
    const [headline, scope] = html.split('\n')
    expect(headline).toBe('<h2>mTLS certificate audit: 1 expiring, 1 expired, of 3 certificates</h2>')
    expect(scope).toBe(
      '<p>Account <code>acct</code>; warn-days 30; fail-days 7. Left out: 2 certificates managed by Cloudflare, 1 certificate whose name matches no pattern. <strong>2 certificates fail the step.</strong></p>',
    )
  })

  it('says fail-days 0 never fails, and shows no table for an account without certificates', () => {
    expect(renderAuditSummary(report([]), { ...POLICY, failDays: 0 }, 'acct')).toBe(
      '<h2>mTLS certificate audit: 0 expiring, 0 expired, of 0 certificates</h2>\n<p>Account <code>acct</code>; warn-days 30; fail-days 0 (never fails).</p>\n',
    )
  })
})

describe('renderAuditSummary, its table', () => {
  it('gives each certificate one row: status, days left, name with its dates, kind, use and id', () => {
    const html = renderAuditSummary(
      report([
        certificate({ id: 'a', failing: true, daysLeft: 3, inUse: ['gateway'], expiresFirst: 'CN=Intermediate' }),
        certificate({ id: 'b', name: 'root', ca: true, status: 'unknown', expiresOn: '', daysLeft: 0 }),
        certificate({ id: 'c', status: 'ok', daysLeft: 300, inUse: [] }),
      ]),
      POLICY,
      'acct',
    )
    const rows = html.split('\n').filter((line) => line.startsWith('<tr><td>'))
    expect(rows).toEqual([
      '<tr><td>❌ expiring</td><td>3</td><td>payments-client<br><sub>expires 2026-06-20T12:00:00Z; CN=Intermediate expires first</sub></td><td>leaf</td><td>gateway</td><td><code>a</code></td></tr>',
      '<tr><td>⚠️ expiry unknown</td><td></td><td>root</td><td>CA</td><td>not checked</td><td><code>b</code></td></tr>',
      '<tr><td>✅ ok</td><td>300</td><td>payments-client<br><sub>expires 2026-06-20T12:00:00Z</sub></td><td>leaf</td><td>none</td><td><code>c</code></td></tr>',
    ])
    expect(html).toContain(
      '<tr><th>Status</th><th>Days left</th><th>Name</th><th>CA or leaf</th><th>In use by</th><th>ID</th></tr>',
    )
  })
})
