import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Step } from '../../../src/plan/step.ts'
import type { ApplyState, TargetContext } from '../../../src/plan/target.ts'

/** The registry replaced by a store and a use target that record what apply asks of them. */
const calls: string[] = []
const failing = new Set<string>()
const certificate = { id: 'cert-new' }

vi.mock('../../../src/targets/registry.ts', () => {
  const store = {
    name: 'store',
    apply: vi.fn(async (step: Step<string>, entry: { name: string }, state: ApplyState) => {
      await Promise.resolve()
      calls.push(`${entry.name}:store.${step.action}:${step.data}`)
      if (failing.has(`${entry.name}:${step.data}`)) throw new Error(`store failed ${step.data}`)
      if (step.action === 'place') state.placed = { certificate, created: step.data === 'upload' }
      return `done ${step.data}`
    }),
    finish: vi.fn(async (step: Step<string>) => {
      await Promise.resolve()
      calls.push(`finish:${step.data}`)
      return `finished ${step.data}`
    }),
  }
  const use = {
    name: 'use',
    unfinished: 'attaches the hostnames',
    apply: vi.fn(async (step: Step<string>, state: ApplyState) => {
      await Promise.resolve()
      calls.push(`use:${step.data}:${state.placed?.certificate.id ?? 'unplaced'}`)
      if (failing.has(step.data)) throw new Error(`refused ${step.data}.`)
      return `used ${step.data}`
    }),
  }
  return {
    storeNamed: (name: string | undefined) => (name === store.name ? store : undefined),
    useTarget: (name: string) => {
      if (name !== 'use') throw new Error(`no target named ${name}`)
      return use
    },
  }
})

const { PlacedButUnfinished, applyPlan } = await import('../../../src/pipeline/apply-plan.ts')

const step = (target: string, action: string, data: string): Step => ({ target, action, when: 'now', data })
const context = {} as TargetContext

beforeEach(() => {
  calls.length = 0
  failing.clear()
})

describe('applyPlan', () => {
  it("carries out an entry's steps in order, each outcome in the plan's order", async () => {
    const entry = {
      name: 'a',
      steps: [step('store', 'place', 'upload'), step('use', 'attach', 'u1'), step('store', 'retire', 'r')],
    }
    const [done] = await applyPlan([entry], context, 'main')
    expect(calls).toEqual(['a:store.place:upload', 'use:u1:cert-new', 'a:store.retire:r'])
    expect(done).toEqual({ entry, outcomes: ['done upload', 'used u1', 'done r'] })
  })

  it('stops an entry at its first failure after placement with PlacedButUnfinished, saying how to finish', async () => {
    failing.add('u1')
    const entry = {
      name: 'a',
      spec: { ca: true },
      steps: [
        step('store', 'place', 'upload'),
        step('use', 'attach', 'u1'),
        step('use', 'attach', 'u2'),
        step('store', 'retire', 'r'),
      ],
    }
    const [done] = await applyPlan([entry], context, 'main')
    expect(done?.outcomes).toEqual(['done upload'])
    expect(calls).toEqual(['a:store.place:upload', 'use:u1:cert-new'])
    const error = done?.error
    expect(error).toBeInstanceOf(PlacedButUnfinished)
    expect((error as InstanceType<typeof PlacedButUnfinished>).placed).toEqual({ certificate, created: true })
    expect((error as Error).message).toBe(
      "refused u1. The CA is uploaded as cert-new (its id is in the step's outputs): once this is fixed, re-run the job, which adopts it and attaches the hostnames.",
    )
    expect((error as Error).cause).toEqual(new Error('refused u1.'))
  })

  it('says "certificate" and "in the account" for a reused, non-CA certificate', async () => {
    failing.add('u1')
    const entry = {
      name: 'a',
      spec: { ca: false },
      steps: [step('store', 'place', 'reuse'), step('use', 'attach', 'u1')],
    }
    const [done] = await applyPlan([entry], context, 'main')
    expect((done?.error as Error).message).toContain('The certificate is in the account as cert-new')
  })

  it('passes a failure before placement on as it is', async () => {
    failing.add('a:upload')
    const [done] = await applyPlan(
      [{ name: 'a', steps: [step('store', 'place', 'upload'), step('use', 'attach', 'u1')] }],
      context,
      'main',
    )
    expect(done?.error).toEqual(new Error('store failed upload'))
    expect(done?.error).not.toBeInstanceOf(PlacedButUnfinished)
    expect(done?.outcomes).toEqual([])
    // A use step with nothing placed fails as its target does, not as unfinished.
    failing.add('u9')
    const [unplaced] = await applyPlan([{ name: 'b', steps: [step('use', 'attach', 'u9')] }], context, 'main')
    expect(unplaced?.error).toEqual(new Error('refused u9.'))
  })

  it('leaves the other entries to finish when one fails, and returns them in order', async () => {
    failing.add('b:upload')
    const entries = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({
      name,
      steps: [step('store', 'place', 'upload'), step('store', 'retire', 'r')],
    }))
    const done = await applyPlan(entries, context, 'main')
    expect(done.map((d) => d.entry.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
    expect(done.map((d) => d.error === undefined)).toEqual([true, false, true, true, true, true])
    expect(done.filter((d) => d.outcomes.length === 2)).toHaveLength(5)
  })

  it("calls the store's finish in the post phase, never its apply", async () => {
    const done = await applyPlan([{ name: 'p', steps: [step('store', 'retire', 'saved')] }], context, 'post')
    expect(calls).toEqual(['finish:saved'])
    expect(done[0]?.outcomes).toEqual(['finished saved'])
  })
})
