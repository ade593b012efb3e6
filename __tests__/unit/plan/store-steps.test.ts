import { describe, expect, it } from 'vitest'
import { NEW_CERTIFICATE, type EntryPlan } from '../../../src/plan/step.ts'
import {
  moveSteps,
  partsOf,
  placementOutputs,
  placementRef,
  retireWhen,
  reusedId,
} from '../../../src/plan/store-steps.ts'

const steps = [
  { action: 'reuse', id: 'kept-id' },
  { action: 'attach', hostnames: ['a'] },
  { action: 'wait' },
  { action: 'retire', id: 'old' },
  { action: 'keep', id: 'other' },
]

describe('partsOf', () => {
  it('parts a planner’s steps into the placement, the moves and the retire, each in its order', () => {
    expect(partsOf(steps)).toEqual({
      placing: [steps[0]],
      moving: [steps[1], steps[2]],
      later: [steps[3], steps[4]],
    })
    expect(partsOf([{ action: 'upload' }]).placing).toEqual([{ action: 'upload' }])
  })
})

describe('reusedId and placementRef', () => {
  it('give the reused id, or the placeholder for an upload', () => {
    expect(reusedId(steps)).toBe('kept-id')
    expect(placementRef(steps)).toBe('kept-id')
    expect(reusedId([{ action: 'upload' }])).toBeUndefined()
    expect(placementRef([{ action: 'upload' }])).toBe(NEW_CERTIFICATE)
  })
})

describe('retireWhen', () => {
  it('is the end of the job only when something is deleted and replace-when says so', () => {
    expect(retireWhen(steps, { replaceWhen: 'end-of-job' })).toBe('end-of-job')
    expect(retireWhen(steps, { replaceWhen: 'immediately' })).toBe('now')
    expect(retireWhen([{ action: 'keep' }], { replaceWhen: 'end-of-job' })).toBe('now')
  })
})

describe('moveSteps', () => {
  it('gives a move step only when there is anything to move', () => {
    const data = { steps: [{ action: 'attach' }] }
    expect(moveSteps('access', data)).toEqual([{ target: 'access', action: 'move', when: 'now', data }])
    expect(moveSteps('access', { steps: [] })).toEqual([])
  })
})

describe('placementOutputs', () => {
  it("gives Cloudflare's id and time with the local certificate's facts, as the single step's outputs", () => {
    const facts = { expiresOn: 'E', issuer: 'I', serialNumber: 'S', signature: 'G', fingerprintSha256: 'F' }
    const entry = { name: 'e', steps: [], spec: { name: 'partners' }, checked: { facts } } as unknown as EntryPlan
    expect(
      placementOutputs(entry, { id: 'x', uploadedOn: 'T', created: true, ca: true, hostnames: ['a.example.com'] }),
    ).toEqual({
      'certificate-id': 'x',
      'uploaded-on': 'T',
      'expires-on': 'E',
      issuer: 'I',
      'serial-number': 'S',
      signature: 'G',
      name: 'partners',
      ca: 'true',
      'fingerprint-sha256': 'F',
      created: 'true',
      hostnames: ['a.example.com'],
    })
  })
})
