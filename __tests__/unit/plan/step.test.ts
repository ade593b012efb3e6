import { describe, expect, it } from 'vitest'
import {
  NEW_CERTIFICATE,
  NEW_CERTIFICATE_TEXT,
  isNew,
  planOf,
  resolveId,
  type EntryPlan,
  type Step,
} from '../../../src/plan/step.ts'

describe('the new certificate placeholder', () => {
  it('is told apart from every id, even one that reads like the placeholder', () => {
    expect(isNew(NEW_CERTIFICATE)).toBe(true)
    expect(isNew('id-1')).toBe(false)
    expect(isNew(NEW_CERTIFICATE_TEXT)).toBe(false)
    expect(isNew('new-certificate')).toBe(false)
  })

  it('reads as no id wherever it is shown', () => {
    expect(NEW_CERTIFICATE_TEXT).toMatch(/^\(.*\)$/)
  })
})

describe('resolveId', () => {
  it('keeps an id, and swaps the placeholder for the id apply learned', () => {
    expect(resolveId('id-1', undefined)).toBe('id-1')
    expect(resolveId('id-1', 'placed')).toBe('id-1')
    expect(resolveId(NEW_CERTIFICATE, 'placed')).toBe('placed')
  })

  it('refuses the placeholder before the certificate is placed', () => {
    expect(() => resolveId(NEW_CERTIFICATE, undefined)).toThrow('ran before it was placed')
  })
})

describe('Step', () => {
  it('round-trips through JSON as the saved tail needs, its placeholder still told apart', () => {
    const step: Step<{ certificate: typeof NEW_CERTIFICATE; hostnames: string[] }> = {
      target: 'api-shield',
      action: 'attach',
      when: 'end-of-job',
      data: { certificate: NEW_CERTIFICATE, hostnames: ['a.example'] },
    }
    const back = JSON.parse(JSON.stringify(step)) as typeof step
    expect(back).toEqual(step)
    expect(isNew(back.data.certificate)).toBe(true)
  })
})

describe('planOf', () => {
  it('gives an entry with its spec, and refuses a saved one without, naming the step', () => {
    const entry = { name: 'e', steps: [], spec: {}, checked: {} } as unknown as EntryPlan
    expect(planOf(entry, 'a placement')).toBe(entry)
    expect(() => planOf({ name: 'e', steps: [] }, 'an Access placement')).toThrow(
      'an Access placement without its spec',
    )
  })
})
