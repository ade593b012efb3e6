import { describe, expect, it } from 'vitest'
import {
  describeServices,
  detachNote,
  inUseElsewhere,
  planRetire,
  plannedReplacement,
} from '../../../src/replace/plan.ts'

/** The one rule for an older certificate, as a dry run shows it and a real run carries it out. */

const ZONE = '9a7806061c88ada191ed06f989cc3dac'
const OLD = { id: '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0', uploaded_on: '2025-03-01T11:00:00Z' }
const zone = (oldHostnames: string[], newServes = ['api.example.com']) => ({ zoneId: ZONE, newServes, oldHostnames })

describe('planRetire', () => {
  it('deletes an older certificate no service uses', () => {
    expect(planRetire({ associations: [] })).toEqual({
      action: 'delete',
      when: 'now',
      reason: 'older, same name, not in use',
    })
  })

  it('keeps one a service uses, naming it', () => {
    const plan = planRetire({ associations: [{ service: 'gateway', status: 'active' }] })
    expect(plan).toEqual({ action: 'keep', reason: 'still in use by gateway (active)' })
  })

  it('keeps one whose associations were not read and that gives up no hostname (fail closed)', () => {
    expect(planRetire({}).action).toBe('keep')
  })

  it('deletes a CA once unused after it gives up the hostnames the new CA serves, whatever it is used by now', () => {
    const plan = planRetire({ zone: zone(['api.example.com']), associations: [{ service: 'api_shield' }] })
    expect(plan).toMatchObject({
      action: 'delete',
      when: 'once-unused',
      release: { detach: ['api.example.com'], keep: [] },
    })
    expect(plan.reason).toContain('(now in use by api_shield)')
  })

  it('keeps a CA that serves hostnames this step was not given, still detaching those the new CA serves', () => {
    const plan = planRetire({ zone: zone(['api.example.com', 'partner.example.com']) })
    expect(plan).toMatchObject({
      action: 'keep',
      release: { detach: ['api.example.com'], keep: ['partner.example.com'] },
    })
    expect(plan.reason).toContain(`still serves partner.example.com in zone ${ZONE}`)
  })
})

describe('inUseElsewhere: what Cloudflare still reports after a detach can be its lag, or use elsewhere', () => {
  const apiShield = (n: number) => Array.from({ length: n }, () => ({ service: 'api_shield', status: 'active' }))

  it.each([
    ['nothing', [], 1],
    ['one API Shield association per hostname detached', apiShield(2), 2],
    ['fewer API Shield associations than hostnames detached (one per zone)', apiShield(1), 3],
  ])('can be the lag: %s', (_case, associations, detached) => {
    expect(inUseElsewhere(associations, detached)).toBeUndefined()
  })

  it("is use elsewhere with more API Shield associations than hostnames detached: another zone's", () => {
    const reason = inUseElsewhere(apiShield(2), 1)
    expect(reason).toMatch(
      /^in use elsewhere: api_shield \(active\) × 2, more than the 1 hostname detached here \(another zone's hostnames\)/,
    )
    expect(reason).toContain('kept without waiting')
  })

  it('is use elsewhere when a service other than API Shield uses it, however many hostnames were detached', () => {
    const reason = inUseElsewhere([...apiShield(1), { service: 'gateway' }], 5)
    expect(reason).toMatch(/^in use elsewhere: api_shield \(active\), gateway, a service other than API Shield/)
    expect(inUseElsewhere([{}], 1)).toMatch(/^in use elsewhere: unknown service, a service other than API Shield/)
  })

  it('a dry run, read before the detach, keeps at once a CA its hostnames here do not account for', () => {
    const plan = planRetire({ zone: zone(['api.example.com']), associations: apiShield(2) })
    expect(plan).toMatchObject({ action: 'keep', release: { detach: ['api.example.com'], keep: [] } })
    expect(plan.reason).toMatch(/^in use elsewhere: /)
    // With no hostname to give up here, the reason stays the plain one.
    expect(planRetire({ zone: zone([]), associations: apiShield(1) }).reason).toBe(
      'still in use by api_shield (active)',
    )
  })

  it('describes alike associations once, counted', () => {
    expect(describeServices([...apiShield(3), { service: 'gateway' }])).toBe('api_shield (active) × 3, gateway')
  })
})

describe('plannedReplacement', () => {
  it('marks what a dry run only plans as planned, hostnames included, for the renderer to word', () => {
    const shown = plannedReplacement(OLD, planRetire({ zone: zone(['api.example.com']), associations: [] }))
    expect(shown).toMatchObject({ action: 'delete', warn: false, hostnames: { applied: false } })
    expect(detachNote(shown.hostnames)).toEqual([
      { verb: 'detach', done: false, form: 'past', rest: ' api.example.com (the new CA serves it); ' },
    ])
    expect(shown.reason).not.toMatch(/would/)
  })
})
