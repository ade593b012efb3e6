import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi, beforeAll } from 'vitest'
import { NEW_CERTIFICATE, NEW_CERTIFICATE_TEXT, type EntryPlan, type Step } from '../../../../src/plan/step.ts'
import type { TargetContext } from '../../../../src/plan/target.ts'
import type { BindingsData } from '../../../../src/targets/workers/data.ts'
import { WORKERS, workers } from '../../../../src/targets/workers/index.ts'
import { NO_OTHER_CONSUMERS } from '../../../../src/consumers/scope.ts'
import { makeWorkspace } from '../../../../test-kit/fixtures.ts'
import { loadBindings } from '../../../../src/wrangler/config.ts'
import { loadWranglerParsers } from '../../../../src/wrangler/parsers.ts'

beforeAll(loadWranglerParsers)

const OLD = '11111111-1111-4111-8111-111111111111'
const NEW = '33333333-3333-4333-8333-333333333333'
const TOML = `name = "payments"\n[[mtls_certificates]]\nbinding = "CERT"\ncertificate_id = "${OLD}"\n`

const entry = (wrangler?: { config: string; binding: string }[]) =>
  ({ name: 'e', spec: { ca: false, replace: true, ...(wrangler ? { wrangler } : {}) } }) as unknown as EntryPlan

function setup(checkWorkers = false) {
  const workspace = makeWorkspace({ 'wrangler.toml': TOML })
  const workerCheck = vi.fn(() => () => Promise.resolve({ known: true, workers: [], bindings: [] }))
  const context = { workspace, checkWorkers, consumers: NO_OTHER_CONSUMERS, workerCheck } as unknown as TargetContext
  return { workspace, context, workerCheck, spec: entry([{ config: 'wrangler.toml', binding: 'CERT' }]) }
}

/** What observe gives a real run: the files, read. */
const observed = (context: TargetContext) => ({
  loaded: loadBindings(context.workspace, [{ config: 'wrangler.toml', binding: 'CERT' }]),
})

describe('the workers target', () => {
  it('applies to an entry with Wrangler files only; a real run reads the files alone to plan', async () => {
    expect(workers.appliesTo(entry())).toBe(false)
    const { spec, context } = setup()
    expect(workers.appliesTo(spec)).toBe(true)
    const observed = await workers.observe(spec, 'id', context)
    expect(observed.served).toBeUndefined()
    expect(observed.loaded.map((file) => file.target.config)).toEqual(['wrangler.toml'])
  })

  it('plans one write-bindings step, with the placeholder text for an upload and the id for a reuse', () => {
    const { spec, context } = setup()
    const [upload] = workers.plan(spec, NEW_CERTIFICATE, observed(context), context)
    expect(upload).toMatchObject({ target: WORKERS, action: 'write-bindings', when: 'now' })
    expect(upload?.data.planned.files[0]?.entries).toEqual([
      { section: 'top level', oldId: OLD, newId: NEW_CERTIFICATE_TEXT },
    ])
    expect(upload?.data.scope).toEqual(['payments'])
    const [reuse] = workers.plan(spec, NEW, observed(context), context)
    expect(reuse?.data.planned.files[0]?.entries[0]?.newId).toBe(NEW)
  })

  it('writes the id it was placed as into the files, read again when it applies', async () => {
    const { spec, context, workspace } = setup()
    const [step] = workers.plan(spec, NEW_CERTIFICATE, observed(context), context)
    const placed = { certificate: { id: NEW }, created: true }
    const done = await workers.apply(step as Step<BindingsData>, { placed }, context)
    expect(readFileSync(join(workspace, 'wrangler.toml'), 'utf8')).toBe(TOML.replace(OLD, NEW))
    expect(done).toMatchObject({ written: ['wrangler.toml'] })
  })

  it('refuses to write before the certificate is placed, and writes nothing', () => {
    const { spec, context, workspace } = setup()
    const [step] = workers.plan(spec, NEW_CERTIFICATE, observed(context), context)
    expect(() => workers.apply(step as Step<BindingsData>, {}, context)).toThrow('before it was placed')
    expect(readFileSync(join(workspace, 'wrangler.toml'), 'utf8')).toBe(TOML)
  })

  it('guards a retire with the Workers the files deploy, or every Worker with check-workers, and the consumers', () => {
    const { spec, context } = setup()
    const steps = workers.plan(spec, NEW, observed(context), context)
    expect(workers.retireGuard?.(spec, steps, context)).toEqual({
      scope: ['payments'],
      consumers: NO_OTHER_CONSUMERS,
      moved: ['payments\nCERT'],
    })
    const every = setup(true).context
    expect(workers.retireGuard?.(entry(), [], every)).toEqual({ scope: 'every', consumers: NO_OTHER_CONSUMERS })
    expect(workers.retireGuard?.(entry(), [], context)).toBeUndefined()
  })

  it('reads with a saved guard as the main step saves it, and refuses any other shape', () => {
    const { context, workerCheck } = setup()
    const reads = workers.retireReads?.({ scope: ['payments'], consumers: NO_OTHER_CONSUMERS }, NEW, context)
    expect(reads).toEqual({ workers: expect.any(Function) })
    expect(workerCheck).toHaveBeenCalledWith(['payments'], NO_OTHER_CONSUMERS)
    const every = workers.retireReads?.({ scope: 'every', consumers: NO_OTHER_CONSUMERS }, NEW, context)
    expect(every).toEqual({ workers: expect.any(Function) })
    for (const saved of [null, {}, { scope: [] }, { scope: ['bad name!'] }, { scope: 'some' }, { scope: [1] }])
      expect(workers.retireReads?.({ consumers: NO_OTHER_CONSUMERS, ...saved }, NEW, context)).toBe(
        'its Workers are not a list of Worker names',
      )
    expect(workers.retireReads?.({ scope: 'every' }, NEW, context)).toMatch(/^its consumers are not/)
  })
})
