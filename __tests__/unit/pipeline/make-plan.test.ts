import { beforeEach, describe, expect, it, vi } from 'vitest'
import { NEW_CERTIFICATE, type CertificateRef, type EntryPlan, type Step } from '../../../src/plan/step.ts'
import type { RetireGuard, TargetContext } from '../../../src/plan/target.ts'

/** The registry replaced by a store and two use targets that record how they are planned with. */
const seen: string[] = []

vi.mock('../../../src/targets/registry.ts', () => {
  const use = (name: string, guard: boolean) => ({
    name,
    appliesTo: (entry: EntryPlan) => (entry.spec as unknown as { uses: string[] }).uses.includes(name),
    observe: vi.fn(async (entry: EntryPlan, certificate: CertificateRef) => {
      await Promise.resolve()
      if (entry.name === 'refused') throw new Error('read refused')
      return `${name} observed ${typeof certificate === 'string' ? certificate : 'new'}`
    }),
    plan: (entry: EntryPlan, certificate: CertificateRef, observed: string): Step[] => {
      seen.push(`${entry.name}: ${observed}`)
      return [{ target: name, action: 'use', when: 'now', data: observed }]
    },
    ...(guard
      ? { retireGuard: (_entry: EntryPlan, steps: readonly Step[]) => (steps.length > 0 ? { of: name } : undefined) }
      : {}),
  })
  const store = {
    name: 'store',
    observe: () => Promise.resolve(undefined),
    // A store whose placement needs a move of its own (Access, origin pulls): the spec asks for one.
    moves: (entry: EntryPlan): Step[] =>
      (entry.spec as unknown as { move?: boolean }).move
        ? [{ target: 'store', action: 'move', when: 'now', data: null }]
        : [],
    place: (entry: EntryPlan): Step => ({
      target: 'store',
      action: 'place',
      when: 'now',
      data: (entry.spec as unknown as { reuse?: string }).reuse ?? 'upload',
    }),
    certificateOf: (step: Step) => (step.data === 'upload' ? NEW_CERTIFICATE : (step.data as string)),
    retires: (entry: EntryPlan) => entry.spec.replace,
    retire: (_entry: EntryPlan, _place: Step, guards: RetireGuard[], context: TargetContext): Step => ({
      target: 'store',
      action: 'retire',
      when: context.replaceWhen === 'immediately' ? 'now' : 'end-of-job',
      data: { guards },
    }),
    forecast: vi.fn(async (step: Step<{ guards: RetireGuard[] }>, place: Step) => {
      await Promise.resolve()
      return { ...step, data: { ...step.data, forecast: `from ${place.data as string}` } }
    }),
  }
  return { storeFor: () => store, USES: [use('shield', true), use('bindings', false)] }
})

const { makePlan, MAX_CONCURRENT_ENTRIES } = await import('../../../src/pipeline/make-plan.ts')

const entry = (name: string, spec: { uses?: string[]; replace?: boolean; reuse?: string; move?: boolean } = {}) =>
  ({ name, spec: { uses: [], replace: false, ...spec }, checked: {} }) as unknown as Omit<EntryPlan, 'steps'>

const context = (forecast: boolean) => ({ forecast, replaceWhen: 'end-of-job' }) as TargetContext

beforeEach(() => {
  seen.length = 0
})

describe('makePlan', () => {
  it('plans the store first, then each use target that applies, then the retire with the guards', async () => {
    const plan = await makePlan([entry('a', { uses: ['shield', 'bindings'], replace: true })], context(false))
    expect(plan.failed).toEqual([])
    const [planned] = plan.entries
    expect(planned?.steps.map((s) => `${s.target}.${s.action}`)).toEqual([
      'store.place',
      'shield.use',
      'bindings.use',
      'store.retire',
    ])
    expect(planned?.steps[3]?.data).toEqual({ guards: [{ target: 'shield', saved: { of: 'shield' } }] })
    expect(planned?.name).toBe('a')
  })

  it("puts the store's moves right after its placement, before the use targets and the retire", async () => {
    const plan = await makePlan([entry('a', { uses: ['shield'], replace: true, move: true })], context(false))
    expect(plan.entries[0]?.steps.map((s) => `${s.target}.${s.action}`)).toEqual([
      'store.place',
      'store.move',
      'shield.use',
      'store.retire',
    ])
  })

  it('hands the use targets the placeholder for an upload and the id for a reuse', async () => {
    await makePlan(
      [entry('up', { uses: ['shield'] }), entry('re', { uses: ['shield'], reuse: 'id-1' })],
      context(false),
    )
    expect(seen.sort()).toEqual(['re: shield observed id-1', 'up: shield observed new'])
  })

  it('leaves out the use targets that do not apply, and the retire when the store does not retire', async () => {
    const plan = await makePlan([entry('a', { uses: ['bindings'] })], context(false))
    expect(plan.entries[0]?.steps.map((s) => s.target)).toEqual(['store', 'bindings'])
  })

  it('carries a forecast only when context.forecast', async () => {
    const real = await makePlan([entry('a', { replace: true })], context(false))
    expect(real.entries[0]?.steps.at(-1)?.data).toEqual({ guards: [] })
    const dry = await makePlan([entry('a', { replace: true, reuse: 'id-1' })], context(true))
    expect(dry.entries[0]?.steps.at(-1)?.data).toEqual({ guards: [], forecast: 'from id-1' })
  })

  it('puts an entry whose reads fail among the failed, and plans the others', async () => {
    const plan = await makePlan([entry('ok'), entry('refused', { uses: ['shield'] }), entry('ok2')], context(false))
    expect(plan.entries.map((e) => e.name)).toEqual(['ok', 'ok2'])
    expect(plan.failed.map(({ entry, error }) => [entry.name, (error as Error).message])).toEqual([
      ['refused', 'read refused'],
    ])
  })

  it('plans at most a few entries at once', () => {
    expect(MAX_CONCURRENT_ENTRIES).toBe(4)
  })
})
