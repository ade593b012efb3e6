import { describe, expect, it } from 'vitest'
import type { MtlsCertificate } from '../../src/cloudflare.ts'
import { sameNameCertificates, type RotationTarget } from '../../src/rotation.ts'
import { generateKey, issueCertificate } from '../support/pki.ts'

const NAME = 'payments-client'
const DAY = 86_400_000
const T0 = Date.parse('2025-03-01T12:00:00Z')
const at = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString()

/** A certificate issued at T0 + issuedOffset, as the account lists it: named NAME, a leaf, uploaded at T0. */
function listed(id: string, issuedOffset = -DAY, overrides: Partial<MtlsCertificate> = {}): MtlsCertificate {
  const pem = issueCertificate({
    commonName: id,
    key: generateKey('ec'),
    notBefore: new Date(T0 + issuedOffset),
    notAfter: new Date(T0 + 365 * DAY),
  }).pem
  return { id, name: NAME, ca: false, uploaded_on: at(0), certificates: pem, ...overrides }
}

/** Our certificate: issued at T0, uploaded at T0 + 1 minute. */
const target = (overrides: Partial<RotationTarget> = {}): RotationTarget => ({
  id: 'ours',
  name: NAME,
  ca: false,
  issuedAt: T0,
  uploadedOn: at(60_000),
  ...overrides,
})

const ids = (certificates: MtlsCertificate[]): string[] => certificates.map((c) => c.id)

describe('sameNameCertificates', () => {
  it('picks older certificates with the same name and ca flag only', () => {
    const certificates = [
      listed('older'),
      listed('older-ca', -DAY, { ca: true }),
      listed('older-other-name', -DAY, { name: 'billing-client' }),
      listed('ours', 0, { uploaded_on: at(60_000) }),
    ]
    expect(ids(sameNameCertificates(certificates, target()).older)).toEqual(['older'])
    expect(ids(sameNameCertificates(certificates, target({ ca: true })).older)).toEqual(['older-ca'])
  })

  it('never counts a certificate issued after ours as older, even one uploaded before it', () => {
    // An old run re-run: the account already holds a newer certificate, uploaded earlier.
    const newer = listed('newer', DAY, { uploaded_on: at(0) })
    const result = sameNameCertificates([newer, listed('older')], target())
    expect(ids(result.older)).toEqual(['older'])
    expect(ids(result.newerUploadedBefore)).toEqual(['newer'])
  })

  it('orders certificates issued at the same time by upload time, then by id', () => {
    const certificates = [
      listed('same-issue-uploaded-earlier', 0, { uploaded_on: at(0) }),
      listed('same-issue-uploaded-later', 0, { uploaded_on: at(120_000) }),
      listed('aaa', 0, { uploaded_on: at(60_000) }),
      listed('zzz', 0, { uploaded_on: at(60_000) }),
    ]
    expect(ids(sameNameCertificates(certificates, target()).older).sort()).toEqual([
      'aaa',
      'same-issue-uploaded-earlier',
    ])
  })

  it('leaves alone what it cannot place: no certificate text, or no upload time', () => {
    const { certificates: _pem, ...noPem } = listed('no-pem')
    const { uploaded_on: _time, ...noTime } = listed('no-time')
    expect(sameNameCertificates([noPem, noTime], target())).toEqual({ older: [], newerUploadedBefore: [] })
  })

  it('in a dry run (no id yet), counts certificates with the same times as older', () => {
    const { id: _id, ...withoutId } = target()
    const certificates = [listed('tie', 0, { uploaded_on: at(60_000) })]
    expect(ids(sameNameCertificates(certificates, withoutId).older)).toEqual(['tie'])
  })

  it('lets two runs rotating at once agree: together they delete all but the newest', () => {
    const old = listed('old')
    const runA = listed('run-a', 0, { uploaded_on: at(60_000) })
    const runB = listed('run-b', 1000, { uploaded_on: at(30_000) }) // issued later, uploaded first
    const account = [old, runA, runB]
    const deletedByA = ids(sameNameCertificates(account, target({ id: 'run-a' })).older)
    const deletedByB = ids(
      sameNameCertificates(account, target({ id: 'run-b', issuedAt: T0 + 1000, uploadedOn: at(30_000) })).older,
    )
    const remaining = ids(account).filter((id) => !deletedByA.includes(id) && !deletedByB.includes(id))
    expect(remaining).toEqual(['run-b'])
  })
})
