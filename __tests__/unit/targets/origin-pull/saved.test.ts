import { describe, expect, it } from 'vitest'
import { savedOriginPullProblem } from '../../../../src/targets/origin-pull/saved.ts'
import { ZONE_ID } from '../../../../test-kit/fixtures.ts'

const NEW = '2458ce5a0c354c7f82c78e9487d3ff60'
const OLD = '0123456789abcdef0123456789abcdef'

/** An origin pull retire step as the main step saves it, with `data` changed by `change`. */
const saved = (change: (data: Record<string, unknown>) => void = () => undefined): Record<string, unknown> => {
  const data: Record<string, unknown> = {
    zoneId: ZONE_ID,
    hostnames: ['a.example.com', '*.example.org'],
    rotation: { name: 'origin', id: NEW },
    steps: [
      { action: 'retire', id: OLD, reason: 'it served a.example.com' },
      { action: 'keep', id: OLD.replace('0', 'f'), reason: 'replace is off' },
    ],
  }
  change(data)
  return { target: 'origin-pull', action: 'retire', when: 'end-of-job', data }
}

describe('savedOriginPullProblem', () => {
  it('trusts a step as the main step writes it, per hostname or zone-level, named or not', () => {
    expect(savedOriginPullProblem(saved())).toBeUndefined()
    expect(savedOriginPullProblem(saved((d) => (d.hostnames = [])))).toBeUndefined()
    expect(savedOriginPullProblem(saved((d) => (d.rotation = { name: '', id: NEW })))).toBeUndefined()
  })

  it.each<[string, (data: Record<string, unknown>) => void, string]>([
    ['no rotation', (d) => delete d.rotation, 'it has no origin pull certificate to rotate to'],
    ['a rotation that is a list', (d) => (d.rotation = [NEW]), 'it has no origin pull certificate to rotate to'],
    ['no id (a plan not applied)', (d) => (d.rotation = { name: 'origin' }), 'its id is not a Cloudflare'],
    ['an id that is a path', (d) => (d.rotation = { name: 'o', id: '../../x' }), 'its id is not a Cloudflare'],
    ['a name of two lines', (d) => (d.rotation = { name: 'a\nb', id: NEW }), 'its name is not a single line'],
    ['a name that is no text', (d) => (d.rotation = { name: 1, id: NEW }), 'its name is not a single line'],
    ['no zone', (d) => delete d.zoneId, 'its zone is not a Cloudflare zone id'],
    ['a zone that is a path', (d) => (d.zoneId = `${ZONE_ID}/..`), 'its zone is not a Cloudflare zone id'],
    ['no hostnames', (d) => delete d.hostnames, 'its hostnames are not hostnames'],
    ['a hostname with a slash', (d) => (d.hostnames = ['a.example.com/x']), 'its hostnames are not hostnames'],
    ['steps that are no list', (d) => (d.steps = 'retire'), 'its steps are not retires of origin pull'],
    ['an upload step', (d) => (d.steps = [{ action: 'upload', id: OLD, reason: '' }]), 'its steps are not'],
    ['a retire of a path', (d) => (d.steps = [{ action: 'retire', id: '..', reason: '' }]), 'its steps are not'],
    ['a retire without reason', (d) => (d.steps = [{ action: 'retire', id: OLD }]), 'its steps are not'],
  ])('refuses %s', (_, change, problem) => {
    expect(savedOriginPullProblem(saved(change))).toMatch(new RegExp(`^${problem}`))
  })

  it('refuses data that is not a map', () => {
    expect(savedOriginPullProblem({ data: [] })).toBe('it has no origin pull certificate to rotate to')
  })
})
