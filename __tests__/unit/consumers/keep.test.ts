import { describe, expect, it } from 'vitest'
import { keepUsedCertificates, unreadWarning } from '../../../src/consumers/keep.ts'

const OLD = '11111111-1111-4111-8111-111111111111'
const FREE = '22222222-2222-4222-8222-222222222222'
const used = {
  consumers: [
    { certificateId: OLD, description: 'Worker payments (PAYMENTS_CERT, 90 %)' },
    { certificateId: OLD, description: 'Hyperdrive orders-db (client)' },
  ],
  unread: [],
}

describe('keepUsedCertificates', () => {
  it('keeps a used candidate naming every consumer, and frees the others', () => {
    expect(keepUsedCertificates(used, [OLD, FREE])).toEqual({
      kept: [{ id: OLD, reason: 'used by Worker payments (PAYMENTS_CERT, 90 %) and Hyperdrive orders-db (client)' }],
      free: [FREE],
      afterDeploy: [],
    })
    expect(unreadWarning(used)).toBeUndefined()
  })

  it('keeps every candidate when a part could not be read, with one warning naming each permission once', () => {
    const unread = {
      consumers: used.consumers,
      unread: [
        { what: 'Workers', permission: '"W"', cause: 'HTTP 403' },
        { what: 'dispatch namespaces', permission: '"W"', cause: 'HTTP 403' },
        { what: 'Pages projects', permission: '"P"', cause: 'HTTP 429' },
      ],
    }
    expect(keepUsedCertificates(unread, [FREE]).free).toEqual([])
    // The log says "kept, <reason>": the reason does not say "kept" again.
    expect(keepUsedCertificates(unread, [FREE]).kept[0]?.reason).toBe(
      'what uses it could not be read (Workers, dispatch namespaces, Pages projects)',
    )
    expect(unreadWarning(unread)).toBe(
      'Could not read what uses the certificates (Workers: HTTP 403; dispatch namespaces: HTTP 403; Pages projects: HTTP 429), so every older certificate is kept. The API token needs "W", "P" on this account to check them.',
    )
  })
})
