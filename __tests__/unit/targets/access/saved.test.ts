import { describe, expect, it } from 'vitest'
import { savedAccessProblem } from '../../../../src/targets/access/saved.ts'
import { ACCOUNT_ID, ZONE_ID } from '../../../../test-kit/fixtures.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'

/** An Access retire step as the main step saves it, with `data` changed by `change`. */
const saved = (change: (data: Record<string, unknown>) => void = () => undefined): Record<string, unknown> => {
  const data: Record<string, unknown> = {
    owner: { accountId: ACCOUNT_ID },
    rotation: { name: 'partners-ca', id: NEW },
    steps: [
      { action: 'retire', id: OLD, name: 'partners-ca', hostnames: ['app.example.com'] },
      { action: 'keep', id: NEW.replace('b', 'c'), name: 'other', reason: 'it still serves x.example.com' },
    ],
  }
  change(data)
  return { target: 'access', action: 'retire', when: 'end-of-job', data }
}

describe('savedAccessProblem', () => {
  it('trusts a step as the main step writes it, in an account or a zone', () => {
    expect(savedAccessProblem(saved())).toBeUndefined()
    expect(savedAccessProblem(saved((d) => (d.owner = { zoneId: ZONE_ID })))).toBeUndefined()
    expect(savedAccessProblem(saved((d) => (d.steps = [])))).toBeUndefined()
  })

  it.each<[string, (data: Record<string, unknown>) => void, string]>([
    ['no data', (d) => delete d.rotation, 'it has no Access CA to rotate to'],
    ['no owner', (d) => delete d.owner, 'it has no Access CA to rotate to'],
    ['an owner that is a list', (d) => (d.owner = [ACCOUNT_ID]), 'it has no Access CA to rotate to'],
    ['no id (a plan not applied)', (d) => (d.rotation = { name: 'partners-ca' }), 'its id is not a Cloudflare'],
    ['an id that is a path', (d) => (d.rotation = { name: 'n', id: '../x' }), 'its id is not a Cloudflare'],
    ['a name of two lines', (d) => (d.rotation = { name: 'a\nb', id: NEW }), 'its name is not a single line'],
    ['an empty name', (d) => (d.rotation = { name: '', id: NEW }), 'its name is not a single line'],
    ['an account that is no id', (d) => (d.owner = { accountId: '../../x' }), 'its account or zone is not'],
    ['an owner of two ids', (d) => (d.owner = { accountId: ACCOUNT_ID, zoneId: ZONE_ID }), 'its account or zone'],
    ['an owner of another key', (d) => (d.owner = { userId: ACCOUNT_ID }), 'its account or zone is not'],
    ['steps that are no list', (d) => (d.steps = {}), 'its steps are not retires of Access CAs'],
    ['a step that is no retire', (d) => (d.steps = [{ action: 'upload', id: OLD, name: 'n' }]), 'its steps are not'],
    ['a retire of a path', (d) => (d.steps = [{ action: 'retire', id: '..', name: 'n', hostnames: [] }]), 'its steps'],
    ['a retire without hostnames', (d) => (d.steps = [{ action: 'retire', id: OLD, name: 'n' }]), 'its steps are'],
    ['hostnames of numbers', (d) => (d.steps = [{ action: 'retire', id: OLD, name: 'n', hostnames: [1] }]), 'its st'],
    ['a keep without its reason', (d) => (d.steps = [{ action: 'keep', id: OLD, name: 'n' }]), 'its steps are not'],
    ['a step without its name', (d) => (d.steps = [{ action: 'keep', id: OLD, reason: 'r' }]), 'its steps are not'],
  ])('refuses %s', (_, change, problem) => {
    expect(savedAccessProblem(saved(change))).toMatch(new RegExp(`^${problem}`))
  })

  // The post step detaches and deletes what a retire step names: never the CA rotated to, never one of another name.
  it('refuses a retire of the CA it rotates to', () => {
    const step = { action: 'retire', id: NEW, name: 'partners-ca', hostnames: ['app.example.com'] }
    expect(savedAccessProblem(saved((d) => (d.steps = [step])))).toMatch(/^its steps are not retires of Access CAs/)
  })

  it('refuses a retire of a CA named otherwise than the rotation', () => {
    const step = { action: 'retire', id: OLD, name: 'another-team', hostnames: ['app.example.com'] }
    expect(savedAccessProblem(saved((d) => (d.steps = [step])))).toMatch(/^its steps are not retires of Access CAs/)
  })

  it('refuses data that is not a map', () => {
    expect(savedAccessProblem({ data: 'x' })).toBe('it has no Access CA to rotate to')
    expect(savedAccessProblem({})).toBe('it has no Access CA to rotate to')
  })
})
