import * as core from '@actions/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { planMarker, renderPlanMarkdown, type PlanRow } from '../../../src/render/plan-table.ts'
import { postPlanComment, type PlanComment } from '../../../src/github/pr-comment.ts'
import { registerSecret } from '../../../src/action/secrets.ts'
import type { RunEvent } from '../../../src/github/pull-request.ts'
import { FakeGitHub } from '../../support/fake-github.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
  info: vi.fn(),
  debug: vi.fn(),
  warning: vi.fn(),
}))

const TOKEN = 'ghs_pr0mmentT0kenAAAAAAAAAAAAAAAAAAAAAAA'
const github = new FakeGitHub(TOKEN)
const PULL = 7

const event = (head = github.repository, name = 'pull_request'): RunEvent => ({
  name,
  payload: {
    pull_request: { number: PULL, head: { repo: { full_name: head } } },
    repository: { full_name: github.repository },
  },
})

const ROWS: PlanRow[] = [{ name: 'payments-client', action: 'upload', reason: 'not in the account' }]

const comment = (overrides: Partial<PlanComment> = {}): PlanComment => ({
  body: renderPlanMarkdown(ROWS, 'deploy/manifest.yml'),
  manifestPath: 'deploy/manifest.yml',
  token: TOKEN,
  signal: new AbortController().signal,
  event: event(),
  ...overrides,
})

/** Everything the step printed, as one text. */
const printed = (): string =>
  [core.info, core.debug, core.warning]
    .flatMap((fn) => vi.mocked(fn).mock.calls.map((call) => String(call[0])))
    .join('\n')

beforeAll(async () => {
  await github.start()
  // Read by @actions/github when it is first loaded, which postPlanComment does on its first call.
  process.env.GITHUB_API_URL = github.url
})
afterAll(async () => {
  await github.stop()
})
beforeEach(() => {
  github.reset()
  github.add({ number: PULL, title: 'Add the payments client', body: '', pull_request: true })
  vi.mocked(core.warning).mockClear()
  vi.mocked(core.info).mockClear()
  vi.mocked(core.debug).mockClear()
})

describe('postPlanComment', () => {
  it('creates the comment with its marker, then leaves it alone while the plan is the same', async () => {
    expect(await postPlanComment(comment())).toEqual({ action: 'created', id: expect.any(Number) })
    expect(github.comments).toEqual([
      { id: expect.any(Number), issue: PULL, body: expect.stringContaining(planMarker('deploy/manifest.yml')) },
    ])
    expect(await postPlanComment(comment())).toEqual({ action: 'unchanged', id: github.comments[0]?.id })
    expect(github.writes).toHaveLength(1)
  })

  it('blanks every registered secret in the comment, as written and as the table escapes it', async () => {
    const secret = 'pass|word-Th4t-L00ks-Like-A-Key'
    registerSecret(secret)
    const rows: PlanRow[] = [{ name: 'payments-client', action: 'keep', id: 'x', reason: `Cloudflare said: ${secret}` }]
    expect((await postPlanComment(comment({ body: renderPlanMarkdown(rows, 'deploy/manifest.yml') }))).action).toBe(
      'created',
    )
    const body = github.comments[0]?.body ?? ''
    expect(body).toContain('Cloudflare said: ***')
    expect(body).not.toContain('Th4t-L00ks')
  })

  it('finds its comment by the marker among others, on a later page, and updates it only when the plan changed', async () => {
    github.commentPageSize = 2
    for (let n = 0; n < 5; n++) github.addComment(PULL, `Looks good ${n}`)
    github.addComment(PULL, `${planMarker('other/manifest.yml')}\nanother manifest's plan`)
    const ours = github.addComment(PULL, renderPlanMarkdown([], 'deploy/manifest.yml'))
    github.addComment(PULL, 'after')
    const outcome = await postPlanComment(comment())
    expect(outcome).toEqual({ action: 'updated', id: ours.id })
    expect(ours.body).toBe(renderPlanMarkdown(ROWS, 'deploy/manifest.yml'))
    expect(github.comments).toHaveLength(8)
    expect(github.writes.map((r) => [r.method, r.path])).toEqual([
      ['PATCH', `/repos/${github.repository}/issues/comments/${ours.id}`],
    ])
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(4)
  })

  it('does not follow a next page off GITHUB_API_URL, and warns instead of failing', async () => {
    github.firstCommentPageLink = '<https://elsewhere.example/repos/x/issues/7/comments?page=2>; rel="next"'
    const outcome = await postPlanComment(comment())
    expect(outcome.action).toBe('failed')
    expect(github.writes).toEqual([])
    expect(vi.mocked(core.warning).mock.calls[0]?.[0]).toMatch(
      /^The plan could not be commented on the pull request: GitHub's answer named a next page off GITHUB_API_URL's origin .*; check GITHUB_API_URL/,
    )
  })

  it('turns an error answer into a warning naming the permission, never the token', async () => {
    github.failNext = 1
    expect(await postPlanComment(comment())).toMatchObject({ action: 'failed' })
    const wrong = await postPlanComment(comment({ token: 'ghs_wrongTokenBBBBBBBBBBBBBBBBBBBBBBBBBBBB' }))
    expect(wrong).toMatchObject({ action: 'failed', reason: expect.stringContaining('HTTP 401') })
    const warnings = vi.mocked(core.warning).mock.calls.map(([message]) => String(message))
    expect(warnings).toHaveLength(2)
    for (const warning of warnings) expect(warning).toContain('permissions: pull-requests: write')
    expect(printed()).not.toContain(TOKEN)
    expect(printed()).not.toContain('ghs_wrongToken')
  })

  it('explains a fork pull request, and sends nothing', async () => {
    const outcome = await postPlanComment(comment({ event: event('someone/fork') }))
    expect(outcome).toEqual({ action: 'skipped', reason: expect.stringMatching(/comes from a fork.*read-only token/) })
    expect(github.requests).toEqual([])
    expect(vi.mocked(core.warning)).not.toHaveBeenCalled()
  })

  it('comments on a fork with pull_request_target, whose token may write', async () => {
    const outcome = await postPlanComment(comment({ event: event('someone/fork', 'pull_request_target') }))
    expect(outcome.action).toBe('created')
  })

  it('does nothing outside a pull request, or without a token', async () => {
    expect(await postPlanComment(comment({ event: { name: 'push', payload: {} } }))).toMatchObject({
      action: 'skipped',
    })
    expect(await postPlanComment(comment({ token: '' }))).toMatchObject({ action: 'skipped' })
    expect(github.requests).toEqual([])
  })
})
