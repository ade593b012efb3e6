import { afterEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { OperationError } from '../../../src/core/errors.ts'
import { emptyReport, type PlanRow, type Report } from '../../../src/core/report.ts'
import type { EntryPlan } from '../../../src/plan/step.ts'
import { finishStep, type Finished } from '../../../src/pipeline/finish-step.ts'
import { inputSource } from '../fakes.ts'

const outputs: Record<string, string>[] = []
const summaries: string[] = []
const comments: { rows: PlanRow[]; failed: unknown[]; manifestPath: string; token: string; now: Date }[] = []
vi.mock('../../../src/action/outputs.ts', () => ({
  setOutputs: (values: Record<string, string>) => outputs.push(values),
}))
vi.mock('../../../src/action/job-summary.ts', () => ({
  writeSummary: (html: string) => {
    summaries.push(html)
    return Promise.resolve()
  },
}))
vi.mock('../../../src/action/run-context.ts', () => ({
  githubRunContext: () => Promise.resolve({ serverUrl: 'https://github.com' }),
  runUrl: () => undefined,
}))
vi.mock('../../../src/github/pr-comment.ts', () => ({
  postPlanComment: (comment: (typeof comments)[number]) => {
    comments.push(comment)
    return Promise.resolve()
  },
}))

const warnings: string[] = []
const NOW = new Date('2025-03-01T12:00:00Z')
afterEach(() => {
  outputs.length = 0
  summaries.length = 0
  comments.length = 0
  warnings.length = 0
  vi.restoreAllMocks()
})
const quiet = () =>
  vi.spyOn(log, 'warning').mockImplementation((message: string) => {
    warnings.push(message)
  })

const entry = (name: string, line?: number) =>
  ({ name, ...(line ? { line } : {}), checked: { facts: { daysLeft: 30 } } }) as unknown as EntryPlan
const report = (rows: PlanRow[], out: Report['outputs'] = {}): Report => ({ ...emptyReport(), rows, outputs: out })
const options = (manifest: string, extra: { prComment?: boolean; failOnChanges?: boolean; dryRun?: boolean } = {}) =>
  ({
    manifest,
    entries: [],
    event: { name: '', payload: {} },
    step: { dryRun: extra.dryRun ?? false, timeoutSeconds: 60 },
    source: inputSource({ 'github-token': 'gh-token' }),
    prComment: extra.prComment ?? false,
    failOnChanges: extra.failOnChanges ?? false,
    now: NOW,
    progress: { commented: false },
  }) as unknown as Parameters<typeof finishStep>[1]

describe('finishStep, a single certificate', () => {
  it('sets the outputs with the plan and the number of changes, and writes the summary', async () => {
    const rows: PlanRow[] = [{ name: '', action: 'upload', id: 'c-1' }]
    const finished: Finished = {
      reports: [{ entry: entry(''), report: report(rows, { 'certificate-id': 'c-1' }) }],
      failed: [],
      applied: true,
    }
    await finishStep(finished, options(''))
    expect(outputs).toHaveLength(1)
    expect(outputs[0]).toMatchObject({
      'certificate-id': 'c-1',
      plan: JSON.stringify(rows),
      changes: '1',
      created: 'false',
    })
    expect(summaries[0]).toContain('<h2>Uploaded a new mTLS certificate to Cloudflare</h2>')
    expect(summaries[0]).toContain('(30 days left)')
  })

  it("sets no output when nothing was placed, and fails with the entry's error, writing no summary", async () => {
    const error = new OperationError('refused.')
    const finished: Finished = { reports: [], failed: [{ entry: entry(''), error }], applied: true }
    await expect(finishStep(finished, options(''))).rejects.toBe(error)
    expect(outputs).toEqual([])
    expect(summaries).toEqual([])
  })
})

describe('finishStep, a manifest', () => {
  it('sets the certificates output, warns of each failed entry, and fails naming them after the summary', async () => {
    quiet()
    const finished: Finished = {
      reports: [
        {
          entry: entry('a'),
          report: report([{ name: 'a', action: 'reuse' }], { 'certificate-id': 'c-1', created: 'false' }),
        },
      ],
      failed: [{ entry: entry('b', 7), error: new OperationError('refused.') }],
      applied: true,
    }
    const failure = finishStep(finished, options('m.yml'))
    await expect(failure).rejects.toThrow(
      "Manifest entry failed (1 of 2): 'b' (line 7): refused. The others are done and in the outputs; fix the failed ones and re-run, which reuses what is in place.",
    )
    expect(JSON.parse(outputs[0]?.certificates ?? '')).toEqual({
      a: { id: 'c-1', 'expires-on': '', created: false, 'fingerprint-sha256': '' },
    })
    expect(outputs[0]?.changes).toBe('0')
    expect(warnings).toEqual(["Manifest entry 'b' failed: refused."])
    expect(summaries[0]).toContain('<li><code>b</code>: refused.</li>')
  })

  it('counts an entry that failed after placing once among the entries', async () => {
    quiet()
    const error = new OperationError('attach refused.')
    const finished: Finished = {
      reports: [{ entry: entry('a'), report: report([], { 'certificate-id': 'c-1' }), error }],
      failed: [{ entry: entry('a', 3), error }],
      applied: true,
    }
    await expect(finishStep(finished, options('m.yml'))).rejects.toThrow('Manifest entry failed (1 of 1)')
  })

  it('posts the plan as the comment with the token, the failed entries and the time, and records it', async () => {
    quiet()
    const rows: PlanRow[] = [{ name: 'a', action: 'upload' }]
    const given = options('m.yml', { prComment: true, dryRun: true })
    const failing = finishStep(
      {
        reports: [{ entry: entry('a'), report: report(rows) }],
        failed: [{ entry: entry('b', 4), error: new OperationError('refused.') }],
        applied: false,
      },
      given,
    )
    await expect(failing).rejects.toThrow('Manifest entry failed')
    expect(comments).toHaveLength(1)
    expect(comments[0]).toMatchObject({ rows, manifestPath: 'm.yml', token: 'gh-token', now: NOW })
    expect(comments[0]?.failed).toEqual([{ name: 'b', line: 4, message: 'refused.' }])
    expect(given.progress.commented).toBe(true)
  })

  it('posts no comment unless asked', async () => {
    const given = options('m.yml')
    await finishStep({ reports: [], failed: [], applied: true }, given)
    expect(comments).toEqual([])
    expect(given.progress.commented).toBe(false)
  })

  it('fails on changes with fail-on-changes, naming each change, and passes a plan without any', async () => {
    const rows: PlanRow[] = [
      { name: 'a', action: 'upload' },
      { name: 'b', action: 'reuse', id: 'c-2' },
    ]
    const finished: Finished = { reports: [{ entry: entry('a'), report: report(rows) }], failed: [], applied: false }
    await expect(finishStep(finished, options('m.yml', { failOnChanges: true, dryRun: true }))).rejects.toThrow(
      'The account differs from the manifest (fail-on-changes): 1 change planned: a upload (fix: apply the manifest',
    )
    const none: Finished = {
      reports: [{ entry: entry('b'), report: report(rows.slice(1)) }],
      failed: [],
      applied: false,
    }
    await expect(finishStep(none, options('m.yml', { failOnChanges: true, dryRun: true }))).resolves.toBeUndefined()
  })
})
