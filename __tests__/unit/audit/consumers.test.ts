import { describe, expect, it } from 'vitest'
import { auditUnreadWarning, withConsumers } from '../../../src/audit/consumers.ts'
import { usageText, type ExpiryReport } from '../../../src/audit/expiry-report.ts'
import { auditedCertificate } from '../fakes.ts'

const report = (inUse?: string[]): ExpiryReport => ({
  certificates: [auditedCertificate({ id: 'id-1', status: 'expiring', ...(inUse ? { inUse } : {}) })],
  leftOut: { managed: 0, unmatched: 0 },
})
const consumers = [{ certificateId: 'ID-1', description: 'Worker payments (PAYMENTS_CERT, 100 %)' }]

describe('withConsumers', () => {
  it("puts a flagged certificate's consumers before its associations' services", () => {
    const [c] = withConsumers(report(['gateway']), { consumers, unread: [] }).certificates
    expect(c?.inUse).toEqual(['Worker payments (PAYMENTS_CERT, 100 %)', 'gateway'])
    expect(c && usageText(c)).toBe('Worker payments (PAYMENTS_CERT, 100 %), gateway')
  })

  it('leaves "not checked" as it is, and marks what was not read instead of "none"', () => {
    expect(withConsumers(report(), { consumers, unread: [] }).certificates[0]?.inUse).toBeUndefined()
    const unread = { consumers: [], unread: [{ what: 'Pages projects', permission: '"P"', cause: 'HTTP 403' }] }
    const [c] = withConsumers(report([]), unread).certificates
    expect(c && usageText(c)).toBe('none found (Pages projects not read)')
    expect(auditUnreadWarning(unread)).toBe(
      'The audit could not read every consumer of the certificates (Pages projects: HTTP 403): who uses an expiring certificate leaves those out. Give the API token "P" to name them.',
    )
    expect(auditUnreadWarning({ consumers, unread: [] })).toBeUndefined()
  })
})
