import { describe, expect, it } from 'vitest'
import type { MtlsCertificate } from '../../../src/cloudflare/mtls/answers.ts'
import {
  RACE_WINDOW_MS,
  holdsTarget,
  replaceCandidates,
  sameNameCertificates,
  type RotationTarget,
} from '../../../src/replace/policy.ts'
import { generateKey, issueCertificate } from '../../../test-kit/pki.ts'

const NAME = 'payments-client'
const DAY = 86_400_000
const MINUTE = 60_000
const T0 = Date.parse('2025-03-01T12:00:00Z')
const at = (offsetMs: number): string => new Date(T0 + offsetMs).toISOString()

/** A certificate as the account lists it: named NAME, a leaf issued a day before T0, uploaded at T0 - 1 minute. */
function listed(id: string, overrides: Partial<MtlsCertificate> = {}, issuedOffset = -DAY): MtlsCertificate {
  const pem = issueCertificate({
    commonName: id,
    key: generateKey('ec'),
    notBefore: new Date(T0 + issuedOffset),
    notAfter: new Date(T0 + 365 * DAY),
  }).pem
  return { id, name: NAME, ca: false, uploaded_on: at(-MINUTE), certificates: pem, ...overrides }
}

/** Our certificate: issued at T0, uploaded at T0. */
const target = (overrides: Partial<RotationTarget> = {}): RotationTarget => ({
  id: 'ours',
  name: NAME,
  ca: false,
  issuedAt: T0,
  uploadedOn: at(0),
  ...overrides,
})

const ids = (certificates: MtlsCertificate[]): string[] => certificates.map((c) => c.id)

describe('sameNameCertificates', () => {
  it('picks certificates uploaded before ours with the same name and ca flag only', () => {
    const certificates = [
      listed('older'),
      listed('older-ca', { ca: true }),
      listed('older-other-name', { name: 'billing-client' }),
      listed('uploaded-after-ours', { uploaded_on: at(MINUTE) }),
      listed('ours', { uploaded_on: at(0) }),
    ]
    expect(ids(sameNameCertificates(certificates, target()).older)).toEqual(['older'])
    expect(ids(sameNameCertificates(certificates, target({ ca: true })).older)).toEqual(['older-ca'])
  })

  it('breaks a tie in upload time by id', () => {
    const certificates = [listed('aaa', { uploaded_on: at(0) }), listed('zzz', { uploaded_on: at(0) })]
    expect(ids(sameNameCertificates(certificates, target({ id: 'mmm' })).older)).toEqual(['aaa'])
  })

  it('in a dry run (no id yet), counts a certificate uploaded at the same time as older', () => {
    const { id: _id, ...withoutId } = target()
    expect(ids(sameNameCertificates([listed('tie', { uploaded_on: at(0) })], withoutId).older)).toEqual(['tie'])
  })

  it('keeps a certificate issued after ours and uploaded well before it: an old run re-run', () => {
    const newer = listed('newer', { uploaded_on: at(-RACE_WINDOW_MS - MINUTE) }, DAY)
    const result = sameNameCertificates([newer, listed('older')], target())
    expect(ids(result.older)).toEqual(['older'])
    expect(ids(result.newerIssued)).toEqual(['newer'])
  })

  it('replaces a later-issued certificate uploaded within the race window, so that racing runs converge', () => {
    const racing = listed('racing', { uploaded_on: at(-RACE_WINDOW_MS + MINUTE) }, DAY)
    expect(ids(sameNameCertificates([racing], target()).older)).toEqual(['racing'])
  })

  it('keeps what it cannot place: a certificate without a readable upload time', () => {
    const { uploaded_on: _time, ...noTime } = listed('no-time')
    expect(sameNameCertificates([noTime], target())).toEqual({
      older: [],
      newerIssued: [],
      issueUnknown: [],
      unknown: [noTime],
    })
  })

  it('keeps what a lenient date parser would misplace: a year, a number, a date without time', () => {
    for (const uploaded_on of ['1', '2001', '2025-01-01', 5 as unknown as string]) {
      const odd = listed('odd', { uploaded_on })
      expect(sameNameCertificates([odd], target()).unknown).toEqual([odd])
    }
  })

  it('places nothing when our own upload time cannot be read: every same-name certificate is kept', () => {
    const certificates = [listed('a'), listed('b', { uploaded_on: at(-DAY) })]
    const result = sameNameCertificates(certificates, target({ uploadedOn: 'not a time' }))
    expect(result).toEqual({ older: [], newerIssued: [], issueUnknown: [], unknown: certificates })
  })

  it('leaves out certificates Cloudflare manages, and counts a missing type as custom', () => {
    const certificates = [
      listed('gateway', { type: 'gateway_managed' }),
      listed('access', { type: 'access_managed' }),
      listed('custom', { type: 'custom' }),
      listed('untyped'),
    ]
    expect(ids(sameNameCertificates(certificates, target()).older)).toEqual(['custom', 'untyped'])
  })

  it('within the race window, places a certificate whose text cannot be read by its upload time', () => {
    const { certificates: _pem, ...noPem } = listed('no-pem')
    expect(ids(sameNameCertificates([noPem], target()).older)).toEqual(['no-pem'])
  })

  it('keeps one uploaded well before ours whose issue time the listing does not give: it may be newer', () => {
    const longAgo = at(-RACE_WINDOW_MS - MINUTE)
    const { certificates: _pem, ...noPem } = listed('no-pem', { uploaded_on: longAgo }, DAY)
    const garbled = listed('garbled', { uploaded_on: longAgo, certificates: 'not a certificate' })
    const result = sameNameCertificates([noPem, garbled, listed('older', { uploaded_on: longAgo })], target())
    expect(ids(result.issueUnknown)).toEqual(['no-pem', 'garbled'])
    expect(ids(result.older)).toEqual(['older'])
  })

  it('lets two racing runs agree, whichever lists first: together they delete all but the last upload', () => {
    const old = listed('old', { uploaded_on: at(-DAY) })
    // B's certificate is issued later but uploaded first; A lists after its own upload.
    const runB = listed('run-b', { uploaded_on: at(-2 * MINUTE) }, DAY)
    const runA = listed('run-a', { uploaded_on: at(0) }, 0)
    const seenByB = [old, runB] // B listed before A uploaded
    const seenByA = [old, runB, runA]
    const deletedByB = ids(
      sameNameCertificates(seenByB, target({ id: 'run-b', issuedAt: T0 + DAY, uploadedOn: at(-2 * MINUTE) })).older,
    )
    const deletedByA = ids(sameNameCertificates(seenByA, target({ id: 'run-a' })).older)
    const remaining = ids(seenByA).filter((id) => !deletedByA.includes(id) && !deletedByB.includes(id))
    expect(remaining).toEqual(['run-a'])
  })
})

describe('holdsTarget and replaceCandidates', () => {
  const OLDER = '0f2b2c3e-1111-4a6b-9c2d-000000000001'
  const older = listed(OLDER)
  const ours = listed('ours', { uploaded_on: at(0) })

  it('names the older certificates while the listing holds ours', () => {
    expect(holdsTarget([older, ours], target())).toBe(true)
    expect(replaceCandidates([older, ours], target())).toEqual([OLDER])
  })

  it('names none when the listing lacks the certificate replace rotates to', () => {
    expect(holdsTarget([older], target())).toBe(false)
    expect(replaceCandidates([older], target())).toEqual([])
  })

  it('exempts a dry run whose certificate is not uploaded yet (no id)', () => {
    const { id: _id, ...withoutId } = target()
    expect(holdsTarget([older], withoutId)).toBe(true)
  })
})
