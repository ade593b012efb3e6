import { describe, expect, it } from 'vitest'
import type { MtlsCertificate } from '../../src/cloudflare.ts'
import { olderSameName, type RotationTarget } from '../../src/rotation.ts'

const NAME = 'payments-client'
const T0 = '2025-03-01T12:00:00Z'
const earlier = (minutes: number): string => new Date(Date.parse(T0) - minutes * 60_000).toISOString()
const later = (minutes: number): string => earlier(-minutes)

/** A listed certificate: a client certificate named NAME uploaded at T0 unless told otherwise. */
const listed = (id: string, overrides: Partial<MtlsCertificate> = {}): MtlsCertificate => ({
  id,
  name: NAME,
  ca: false,
  uploaded_on: T0,
  ...overrides,
})

/** The certificate without one of its optional fields, as Cloudflare may list it. */
function without(certificate: MtlsCertificate, key: 'name' | 'uploaded_on'): MtlsCertificate {
  const { [key]: _, ...rest } = certificate
  return rest
}

const target = (overrides: Partial<RotationTarget> = {}): RotationTarget => ({
  id: 'ours',
  name: NAME,
  ca: false,
  uploadedOn: T0,
  ...overrides,
})

const ids = (certificates: MtlsCertificate[]): string[] => certificates.map((c) => c.id)

describe('olderSameName', () => {
  it('keeps only older certificates with the same name and ca flag', () => {
    const certificates = [
      listed('older', { uploaded_on: earlier(60) }),
      listed('older-ca', { uploaded_on: earlier(60), ca: true }),
      listed('older-other-name', { uploaded_on: earlier(60), name: 'billing-client' }),
      without(listed('older-unnamed', { uploaded_on: earlier(60) }), 'name'),
      listed('newer', { uploaded_on: later(5) }),
      listed('much-older', { uploaded_on: earlier(60 * 24 * 90) }),
    ]
    expect(ids(olderSameName(certificates, target()))).toEqual(['older', 'much-older'])
  })

  it('matches the ca flag of a CA rotation', () => {
    const certificates = [
      listed('client', { uploaded_on: earlier(1) }),
      listed('ca', { uploaded_on: earlier(1), ca: true }),
    ]
    expect(ids(olderSameName(certificates, target({ ca: true })))).toEqual(['ca'])
  })

  it('never includes our own certificate', () => {
    const certificates = [listed('ours'), listed('ours-earlier', { uploaded_on: earlier(1) })]
    expect(ids(olderSameName(certificates, target()))).toEqual(['ours-earlier'])
    // Even if the list says ours is older than the time we were told.
    expect(ids(olderSameName([listed('ours', { uploaded_on: earlier(10) })], target()))).toEqual([])
  })

  it('breaks a tie in upload time by id', () => {
    const certificates = [listed('aaa'), listed('zzz')]
    expect(ids(olderSameName(certificates, target({ id: 'mmm' })))).toEqual(['aaa'])
  })

  it('compares times, not strings: a different time format or offset is the same instant', () => {
    const certificates = [
      listed('same-instant-later-id', { uploaded_on: '2025-03-01T13:00:00+01:00' }),
      listed('one-ms-earlier', { uploaded_on: '2025-03-01T11:59:59.999Z' }),
    ]
    expect(ids(olderSameName(certificates, target({ id: 'm' })))).toEqual(['one-ms-earlier'])
  })

  it('never deletes a certificate whose upload time cannot be read', () => {
    const certificates = [without(listed('no-time'), 'uploaded_on'), listed('bad-time', { uploaded_on: 'yesterday' })]
    expect(olderSameName(certificates, target())).toEqual([])
  })

  it('treats every same-time certificate as older when our id is not known yet (dry run)', () => {
    const certificates = [
      listed('zzz'),
      listed('older', { uploaded_on: earlier(1) }),
      listed('newer', { uploaded_on: later(1) }),
    ]
    const { id: _, ...withoutId } = target()
    expect(ids(olderSameName(certificates, withoutId))).toEqual(['zzz', 'older'])
  })

  it('lets two concurrent rotations agree: each keeps the newest, and only it survives', () => {
    // Two runs uploaded in the same second and both list all three; the greater id counts as the newer.
    const certificates = [listed('old', { uploaded_on: earlier(60 * 24) }), listed('run-a-7f3c'), listed('run-b-1a9e')]
    const deletedByA = ids(olderSameName(certificates, target({ id: 'run-a-7f3c' })))
    const deletedByB = ids(olderSameName(certificates, target({ id: 'run-b-1a9e' })))

    const deleted = new Set([...deletedByA, ...deletedByB])
    const survivors = ids(certificates).filter((id) => !deleted.has(id))
    expect(survivors).toEqual(['run-b-1a9e'])
    expect(deletedByA).toEqual(['old'])
    expect(deletedByB).toEqual(['old', 'run-a-7f3c'])
  })

  it('lets concurrent rotations agree when their upload times differ', () => {
    const certificates = [listed('first', { uploaded_on: earlier(1) }), listed('second')]
    const byFirst = ids(olderSameName(certificates, target({ id: 'first', uploadedOn: earlier(1) })))
    const bySecond = ids(olderSameName(certificates, target({ id: 'second' })))
    expect(byFirst).toEqual([])
    expect(bySecond).toEqual(['first'])
  })
})
