import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MAX_ISSUE_ROWS, issueMarker, renderIssue, type IssueScope } from '../../../src/audit/issue-text.ts'
import type { AuditedCertificate } from '../../../src/audit/expiry-report.ts'
import { parseNamePattern } from '../../../src/audit/name-pattern.ts'
import { auditedCertificate } from '../fakes.ts'

const SCOPE: IssueScope = {
  accountId: '023e105f4ecef8ad9ca31a8372d0c353',
  policy: { warnDays: 30, failDays: 7, names: [] },
}

const certificate = (overrides: Partial<AuditedCertificate> = {}): AuditedCertificate =>
  auditedCertificate({ inUse: ['api_shield'], ...overrides })

describe('renderIssue', () => {
  it('does not change from one day to the next while the list stays the same', () => {
    expect(renderIssue([certificate()], SCOPE)).toEqual(
      renderIssue([certificate({ daysLeft: 18, failing: true })], SCOPE),
    )
  })

  it('changes when a certificate comes, expires or changes use', () => {
    const today = renderIssue([certificate()], SCOPE)
    expect(renderIssue([certificate(), certificate({ id: 'id-2' })], SCOPE)).not.toEqual(today)
    expect(renderIssue([certificate({ status: 'expired' })], SCOPE)).not.toEqual(today)
    expect(renderIssue([certificate({ inUse: [] })], SCOPE)).not.toEqual(today)
  })

  it('starts with its marker, names no account id, and keeps names from mentioning anyone', () => {
    const { title, body } = renderIssue([certificate({ name: '@acme/security <b>', status: 'expired' })], SCOPE)
    expect(body.startsWith(`${issueMarker(SCOPE)}\n`)).toBe(true)
    expect(body).not.toContain(SCOPE.accountId)
    expect(body).toContain('<code>@acme/security &lt;b&gt;</code>')
    expect(title).toBe('mTLS certificates expiring in Cloudflare')
  })

  it('stays within the 65,536 characters GitHub accepts, however many certificates expire, listing the first 100', () => {
    const certificates = Array.from({ length: 400 }, (_, index) =>
      certificate({ id: randomUUID(), name: `payments-client-eu-west-${index}`, inUse: ['api_shield'] }),
    )
    const { body } = renderIssue(certificates, SCOPE)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body.match(/<tr><td>/g)).toHaveLength(MAX_ISSUE_ROWS)
    expect(body).toContain(certificates[MAX_ISSUE_ROWS - 1]?.id)
    expect(body).not.toContain(certificates[MAX_ISSUE_ROWS]?.id)
    expect(body).toContain("And 300 more: see the run's summary.")
    expect(renderIssue(certificates, SCOPE).body).toBe(body)
    expect(renderIssue(certificates.slice(0, MAX_ISSUE_ROWS), SCOPE).body).not.toContain('more: see')
  })

  it('puts each service in <code>, as names from outside may mention someone', () => {
    const { body } = renderIssue([certificate({ inUse: ['@acme/security', 'api_shield'] })], SCOPE)
    expect(body).toContain('<td><code>@acme/security</code>, <code>api_shield</code></td>')
  })
})

describe('issueMarker', () => {
  it('differs by account and by name patterns, so that two audits keep one issue each', () => {
    const other = { ...SCOPE, accountId: 'ffffffffffffffffffffffffffffffff' }
    const patterned = { ...SCOPE, policy: { ...SCOPE.policy, names: [parseNamePattern('payments-*')] } }
    const markers = new Set([issueMarker(SCOPE), issueMarker(other), issueMarker(patterned)])
    expect(markers.size).toBe(3)
    expect(issueMarker({ ...SCOPE, policy: { ...SCOPE.policy, warnDays: 60 } })).toBe(issueMarker(SCOPE))
  })
})
