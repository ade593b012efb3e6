import { describe, expect, it } from 'vitest'
import { issueMarker, renderIssue, type IssueScope } from '../../src/expiry-issue.ts'
import type { AuditedCertificate } from '../../src/expiry-report.ts'
import { parseNamePattern } from '../../src/name-pattern.ts'

const SCOPE: IssueScope = {
  accountId: '023e105f4ecef8ad9ca31a8372d0c353',
  policy: { warnDays: 30, failDays: 7, names: [] },
}

const certificate = (overrides: Partial<AuditedCertificate> = {}): AuditedCertificate => ({
  id: 'id-1',
  name: 'payments-client',
  ca: false,
  status: 'expiring',
  failing: false,
  expiresOn: '2026-06-20T12:00:00Z',
  daysLeft: 19,
  source: 'pem',
  inUse: ['api_shield'],
  ...overrides,
})

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
    expect(title).toBe('mTLS certificates expiring in Cloudflare: 1 (1 expired)')
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
