import * as core from '@actions/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { planMarker, renderPlanMarkdown, type PlanRow } from '../../../src/render/plan-table.ts'
import { postPlanComment, postPlanFailure, type PlanComment } from '../../../src/github/pr-comment.ts'
import { registerSecret } from '../../../src/action/secrets.ts'
import type { RunEvent } from '../../../src/github/pull-request.ts'
import { COMMENT_LIMIT, FakeGitHub, JOB_TOKEN_LOGIN } from '../../support/fake-github.ts'

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

const HEAD_SHA = '3f786850e387550fdab836ed7e6dc881de23001b'
const SECOND_SHA = '89e6c98d92887913cadf06b2adb97f26cde4849b'
const RUN_URL = 'https://github.com/acme/certificates/actions/runs/42'
const AT = new Date('2026-12-07T17:58:41Z')

const event = (head = github.repository, name = 'pull_request', sha = HEAD_SHA): RunEvent => ({
  name,
  payload: {
    pull_request: { number: PULL, head: { repo: { full_name: head }, sha } },
    repository: { full_name: github.repository },
  },
})

const ROWS: PlanRow[] = [{ name: 'payments-client', action: 'upload', reason: 'not in the account' }]

const target = {
  manifestPath: 'deploy/manifest.yml',
  token: TOKEN,
  signal: new AbortController().signal,
  event: event(),
  now: AT,
  runUrl: RUN_URL,
}

const comment = (overrides: Partial<PlanComment> = {}): PlanComment => ({ rows: ROWS, ...target, ...overrides })

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
      {
        id: expect.any(Number),
        issue: PULL,
        body: expect.stringContaining(planMarker('deploy/manifest.yml')),
        user: JOB_TOKEN_LOGIN,
      },
    ])
    expect(await postPlanComment(comment())).toEqual({ action: 'unchanged', id: github.comments[0]?.id })
    expect(github.writes).toHaveLength(1)
  })

  it('blanks every registered secret in the comment, as written and as the table escapes it', async () => {
    const secret = 'pass|word-Th4t-L00ks-Like-A-Key'
    registerSecret(secret)
    const rows: PlanRow[] = [{ name: 'payments-client', action: 'keep', id: 'x', reason: `Cloudflare said: ${secret}` }]
    expect((await postPlanComment(comment({ rows }))).action).toBe('created')
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
    expect(ours.body).toContain('| `payments-client` | `upload` |  |  | `not in the account` |')
    expect(github.comments).toHaveLength(8)
    expect(github.writes.map((r) => [r.method, r.path])).toEqual([
      ['PATCH', `/repos/${github.repository}/issues/comments/${ours.id}`],
    ])
    // GET /user, then the three pages up to ours.
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(5)
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

describe('what the comment says it is for', () => {
  it("names the pull request's head commit (not GITHUB_SHA) and the time, in UTC; a new commit edits it, a re-run does not", async () => {
    process.env.GITHUB_SHA = 'ffffffffffffffffffffffffffffffffffffffff'
    await postPlanComment(comment())
    const body = github.comments[0]?.body ?? ''
    expect(body).toContain(`Planned for commit [\`${HEAD_SHA.slice(0, 12)}\`](<`)
    expect(body).toContain(`/acme/certificates/commit/${HEAD_SHA}>) at 2026-12-07 17:58 UTC.`)
    expect(body).not.toContain('ffffffffffff')

    // The same plan for the same commit, an hour later: nothing to edit.
    const later = new Date(AT.getTime() + 3_600_000)
    expect((await postPlanComment(comment({ now: later }))).action).toBe('unchanged')
    // The same plan for a new commit: the comment says which.
    expect(
      (await postPlanComment(comment({ now: later, event: event(undefined, undefined, SECOND_SHA) }))).action,
    ).toBe('updated')
    expect(github.comments[0]?.body).toContain(`\`${SECOND_SHA.slice(0, 12)}\``)
    expect(github.comments[0]?.body).toContain('at 2026-12-07 18:58 UTC')
    delete process.env.GITHUB_SHA
  })

  it('edits the plan to say the plan failed, for which commit, with the error and its secrets blanked', async () => {
    const secret = 'cf-T0ken-That-Must-Not-Show-1234567890'
    registerSecret(secret)
    await postPlanComment(comment())
    const outcome = await postPlanFailure({
      ...target,
      event: event(undefined, undefined, SECOND_SHA),
      error: new Error(`Cloudflare answered 403 for token ${secret}\nsee www.evil.example and @acme/security`),
    })
    expect(outcome).toEqual({ action: 'updated', id: github.comments[0]?.id })
    const body = github.comments[0]?.body ?? ''
    expect(body).toContain(`**The plan failed** for commit`)
    expect(body).toContain(`\`${SECOND_SHA.slice(0, 12)}\``)
    expect(body).toContain('any plan shown here before is withdrawn')
    expect(body).not.toContain('| `payments-client`')
    expect(body).toContain('Cloudflare answered 403 for token ***')
    expect(body).not.toContain(secret)
    expect(body).toContain(`[the run](<${RUN_URL}>)`)
    // The error is in a fenced code block: neither its host nor its team becomes a link or a mention.
    const fence = /^(`{3,})$/m.exec(body)?.[1] ?? 'none'
    const block = body.slice(body.indexOf(fence), body.lastIndexOf(fence) + fence.length)
    expect(block).toContain('www.evil.example and @acme/security')
    expect(body.replace(block, '')).not.toMatch(/www\.evil|@acme/)
  })

  it('makes a comment saying the plan failed when there was none', async () => {
    const outcome = await postPlanFailure({
      ...target,
      error: new Error('manifest.yml:3: certificates[0].name is missing'),
    })
    expect(outcome.action).toBe('created')
    expect(github.comments[0]?.body).toContain('manifest.yml:3: certificates[0].name is missing')
  })

  it('lists the failed entries, and does not call a plan with failures "no changes"', async () => {
    const failed = [{ name: 'billing-client', line: 9, message: 'Cloudflare answered HTTP 500 (see #123)' }]
    await postPlanComment(comment({ rows: [], failed }))
    const body = github.comments[0]?.body ?? ''
    expect(body).not.toContain('No changes')
    expect(body).toContain('1 entry failed, so the plan is incomplete')
    expect(body).toContain('- `billing-client` (line 9): `Cloudflare answered HTTP 500 (see #123)`')
  })
})

describe('a plan too long for a comment', () => {
  it("is cut to fit GitHub's limit, saying how many rows are left out and where the whole plan is", async () => {
    const rows: PlanRow[] = Array.from({ length: 3000 }, (_, n) => ({
      name: `client-${n}`,
      action: 'upload',
      reason: `a reason long enough to need many characters, so that the plan cannot fit: ${'é'.repeat(20)}`,
    }))
    const outcome = await postPlanComment(comment({ rows }))
    expect(outcome.action).toBe('created')
    const body = github.comments[0]?.body ?? ''
    expect(Array.from(body).length).toBeLessThanOrEqual(COMMENT_LIMIT)
    const shown = body.split('\n').filter((line) => line.startsWith('| `client-')).length
    expect(shown).toBeGreaterThan(100)
    expect(shown).toBeLessThan(3000)
    expect(body).toContain(
      `_${3000 - shown} rows of 3000 left out, to fit GitHub's limit for a comment: the whole plan is in [the run's summary](<${RUN_URL}>)._`,
    )
  })

  it('is never a silent pass when GitHub refuses it (422): the comment says so, and a warning too', async () => {
    await postPlanComment(comment())
    github.refuseNextComment = 1
    const outcome = await postPlanComment(comment({ event: event(undefined, undefined, SECOND_SHA) }))
    expect(outcome).toMatchObject({ action: 'failed', reason: expect.stringContaining('HTTP 422') })
    const body = github.comments[0]?.body ?? ''
    expect(body).toContain('**The plan failed**')
    expect(body).toContain("GitHub refused the plan's comment (HTTP 422")
    expect(body).not.toContain('| `payments-client`')
    expect(vi.mocked(core.warning).mock.calls.map(([m]) => String(m))).toEqual([
      expect.stringContaining("GitHub refused the plan's comment (HTTP 422"),
    ])
  })
})

describe("whose comment is the plan's", () => {
  it("leaves another author's comment holding the marker alone, and makes its own", async () => {
    const planted = github.addComment(PULL, `${planMarker('deploy/manifest.yml')}\nNo changes: trust me`, 'mallory')
    expect((await postPlanComment(comment())).action).toBe('created')
    expect(planted.body).toContain('trust me')
    expect(github.comments).toHaveLength(2)
    expect(github.comments[1]?.user).toBe(JOB_TOKEN_LOGIN)
    expect(github.writes.map((r) => r.method)).toEqual(['POST'])
  })

  it("with a personal token, takes its own login from GET /user, and edits only that login's comment", async () => {
    github.personalLogin = 'release-bot'
    github.addComment(PULL, `${planMarker('deploy/manifest.yml')}\nold`, JOB_TOKEN_LOGIN)
    const ours = github.addComment(PULL, `${planMarker('deploy/manifest.yml')}\nold`, 'release-bot')
    expect(await postPlanComment(comment())).toEqual({ action: 'updated', id: ours.id })
    expect(github.comments[0]?.body).toContain('old')
  })

  it('writes nothing when it cannot learn who it is', async () => {
    github.addComment(PULL, `${planMarker('deploy/manifest.yml')}\nold`)
    github.failNext = 1
    expect((await postPlanComment(comment())).action).toBe('failed')
    expect(github.writes).toEqual([])
  })
})

describe('outside text in the comment', () => {
  const HOSTILE = [
    'www.evil.example',
    'http://evil.example/x',
    'mallory@evil.example',
    '#123',
    'acme/certificates#1',
    'GH-7',
    'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
    '@acme/security and @octocat',
    '<img src=x onerror=alert(1)>',
    '[click](javascript:alert(1))',
    'a|b\\|c ``` ` `',
    '\n\n# heading\n- item',
  ]

  it('renders every name, id, path, hostname and error inside code, so none becomes a link, mention or HTML', async () => {
    const rows: PlanRow[] = HOSTILE.map((text) => ({
      name: text,
      action: 'attach',
      id: text,
      hostnames: [text],
      config: text,
      section: text,
      reason: text,
    }))
    const failed = HOSTILE.map((text, line) => ({ name: text, line, message: text }))
    await postPlanComment(comment({ rows, failed, manifestPath: 'deploy/www.evil.example@x.yml' }))
    const body = github.comments[0]?.body ?? ''
    expect(outsideCode(body)).not.toMatch(/evil|mallory|#1|GH-7|a94a8fe|@acme|@octocat|<img|javascript|# heading/)
    // Each table line still has its five cells, split as GFM's table parser splits them (`\x` is one character).
    for (const line of body.split('\n').filter((l) => l.startsWith('| ')))
      expect(line.match(/\\.|\|/g)?.filter((token) => token === '|')).toHaveLength(6)
  })
})

/**
 * The body with every code span and fenced block taken out, as GFM reads them, after the table's
 * `\|` escapes: what is left is what GitHub could link, mention or render as HTML.
 */
function outsideCode(body: string): string {
  // The marker is an HTML comment, which renders as nothing (plan.test.ts shows a path cannot end it).
  const fenced = body.replace(/^<!-- .* -->$/m, '').replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '')
  let rest = ''
  const text = fenced.replace(/\\\|/g, '|')
  for (let i = 0; i < text.length;) {
    const open = /^`+/.exec(text.slice(i))?.[0]
    if (!open) {
      rest += text.charAt(i)
      i++
      continue
    }
    const close = new RegExp(`(?<!\`)${open}(?!\`)`, 'g')
    close.lastIndex = i + open.length
    const end = close.exec(text)
    if (!end) {
      rest += text.slice(i)
      break
    }
    i = end.index + open.length
  }
  return rest
}
