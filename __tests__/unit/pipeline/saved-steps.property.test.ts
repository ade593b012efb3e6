import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isCertificateId, parseTime } from '../../../src/cloudflare/values.ts'
import type { MtlsCertificate } from '../../../src/cloudflare/mtls/answers.ts'
import { sameNameCertificates, type RotationTarget } from '../../../src/replace/policy.ts'
import { parseSteps } from '../../../src/pipeline/saved-steps.ts'
import { retireSteps } from '../../support/saved-steps.ts'

/**
 * Properties of the saved-steps parser: the post step deletes what is older than the rotation it
 * reads, so whatever text it finds, it never throws, and a target it gives has every field as the
 * main step writes it; a certificate uploaded after that target is never taken for an older one.
 */

const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/)
const uuid = fc.uuid()
const isoTime = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString())

/** A rotation as the main step saves it. */
const validTarget: fc.Arbitrary<RotationTarget & { id: string }> = fc.record({
  id: fc.oneof(hex32, uuid),
  name: fc.string({ minLength: 1, maxLength: 200 }).filter((name) => !/\p{Cc}/u.test(name)),
  ca: fc.boolean(),
  issuedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  uploadedOn: isoTime,
})

/** Any value a field could hold: of the right kind or not, well formed or not. */
const anyField = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom('..', '', '1', 'soon', '2025-13-45T99:99:99Z', '1e999', 'a/b', '%2e%2e', 'NaN'),
  hex32,
  uuid,
  isoTime,
  fc.double(),
)
/** A valid rotation with some of its fields replaced or removed. */
const tampered = fc
  .tuple(
    validTarget,
    fc.dictionary(fc.constantFrom('id', 'name', 'ca', 'issuedAt', 'uploadedOn'), fc.option(anyField), { maxKeys: 3 }),
  )
  .map(([target, changes]) => {
    const value: Record<string, unknown> = { ...target }
    for (const [key, change] of Object.entries(changes)) {
      if (change === null) Reflect.deleteProperty(value, key)
      else value[key] = change
    }
    return retireSteps([value])
  })
const anySaved = fc.oneof(tampered, fc.string(), fc.json(), fc.constant('{"issuedAt":1e999}'))

describe('parseSteps', () => {
  it('never throws, and gives a target only when every field is as the main step writes it', () => {
    fc.assert(
      fc.property(anySaved, (saved) => {
        const parsed = parseSteps(saved)
        if ('problem' in parsed) {
          expect(parsed.problem).toMatch(/^(step \d+: )?(it|its) /)
          return
        }
        for (const step of parsed.steps) {
          const target = (step.data as { rotation: RotationTarget & { id: string } }).rotation
          expect(isCertificateId(target.id)).toBe(true)
          expect(target.name.length).toBeGreaterThan(0)
          expect(target.name).not.toMatch(/\p{Cc}/u)
          expect(typeof target.ca).toBe('boolean')
          expect(Number.isFinite(target.issuedAt)).toBe(true)
          expect(parseTime(target.uploadedOn)).toBeTypeOf('number')
        }
      }),
    )
  })

  it('reads back every rotation the main step saves', () => {
    fc.assert(
      fc.property(validTarget, (target) => {
        const parsed = parseSteps(retireSteps([target]))
        expect(parsed).toEqual({
          steps: [{ target: 'store', action: 'retire', when: 'end-of-job', data: { rotation: target, guards: [] } }],
        })
      }),
    )
  })

  it('never lets a certificate uploaded after the saved rotation count as older', () => {
    fc.assert(
      fc.property(anySaved, fc.integer({ min: 0, max: 10 * 86_400_000 }), (saved, laterMs) => {
        const parsed = parseSteps(saved)
        if ('problem' in parsed) return
        const target = (parsed.steps[0]?.data as { rotation: RotationTarget }).rotation
        const later: MtlsCertificate = {
          id: 'ffffffffffffffffffffffffffffffff',
          name: target.name,
          ca: target.ca,
          uploaded_on: new Date((parseTime(target.uploadedOn) ?? 0) + 1 + laterMs).toISOString(),
        }
        expect(sameNameCertificates([later], target).older).toEqual([])
      }),
    )
  })
})

describe('parseSteps: lists', () => {
  const one = {
    id: '0123456789abcdef0123456789abcdef',
    name: 'ca',
    ca: true,
    issuedAt: 1,
    uploadedOn: '2025-03-01T12:00:00Z',
  }
  const zone = { zoneId: '9a7806061c88ada191ed06f989cc3dac', hostnames: ['api.example.com'] }

  it('reads a list of steps, each with its guards', () => {
    const guards = [{ target: 'api-shield', saved: zone }]
    const parsed = parseSteps(retireSteps([one], guards))
    expect(parsed).toEqual({
      steps: [{ target: 'store', action: 'retire', when: 'end-of-job', data: { rotation: one, guards } }],
    })
  })

  it('trusts no step of a list when one of them is wrong, naming which', () => {
    expect(parseSteps(retireSteps([one, { ...one, uploadedOn: 'soon' }]))).toEqual({
      problem: 'step 2: its upload time is not an ISO 8601 time',
    })
    expect(parseSteps('[]')).toEqual({ problem: 'it is not a list of steps' })
  })

  it('refuses a guard of a target the action does not have, and a step that is not a retire', () => {
    expect(parseSteps(retireSteps([one], [{ target: 'elsewhere', saved: {} }]))).toHaveProperty('problem')
    const place = JSON.stringify([
      { target: 'store', action: 'place', when: 'end-of-job', data: { rotation: one, guards: [] } },
    ])
    expect(parseSteps(place)).toHaveProperty('problem')
  })
})
