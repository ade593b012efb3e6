import { describe, expect, it } from 'vitest'
import type { getOctokit } from '@actions/github'
import { MAX_COMMENT_PAGES, findComment } from '../../../src/github/find-comment.ts'

type Comment = { id: number; body?: string; user?: { login?: string } }

/** An Octokit with only the two calls findComment makes, serving comments in pages of `size`. */
function octokit(comments: Comment[], size = 2): ReturnType<typeof getOctokit> & { pages: number } {
  const page = (n: number) => ({
    data: comments.slice((n - 1) * size, n * size),
    // On GITHUB_API_URL's origin, as nextPageUrl requires (another test in this process may have set it).
    headers:
      n * size < comments.length
        ? { link: `<${process.env.GITHUB_API_URL ?? 'https://api.github.com'}/next?page=${n + 1}>; rel="next"` }
        : {},
  })
  const fake = {
    pages: 0,
    rest: { issues: { listComments: () => (fake.pages++, Promise.resolve(page(1))) } },
    request: (route: string) => (fake.pages++, Promise.resolve(page(Number(/page=(\d+)/.exec(route)?.[1])))),
  }
  return fake as unknown as ReturnType<typeof getOctokit> & { pages: number }
}

const ISSUE = { owner: 'acme', repo: 'certificates', issue_number: 7 }
const MARKER = '<!-- plan: m.yml -->'
const signal = new AbortController().signal

describe('findComment', () => {
  it("finds the token's own comment with the marker, page by page, and leaves another author's copy alone", async () => {
    const comments: Comment[] = [
      { id: 1, body: `${MARKER} planted`, user: { login: 'mallory' } },
      { id: 2, body: 'hello', user: { login: 'github-actions[bot]' } },
      { id: 3, body: `${MARKER} ours`, user: { login: 'GitHub-Actions[bot]' } },
    ]
    const client = octokit(comments)
    expect((await findComment(client, ISSUE, MARKER, 'github-actions[bot]', signal))?.id).toBe(3)
    expect(client.pages).toBe(2)
  })

  it('finds none when no comment of its own holds the marker', async () => {
    expect(
      await findComment(octokit([{ id: 1, body: MARKER, user: { login: 'x' } }]), ISSUE, MARKER, 'y', signal),
    ).toBeUndefined()
  })

  it(`reads at most ${MAX_COMMENT_PAGES} pages, then refuses rather than guess`, async () => {
    const many = Array.from({ length: MAX_COMMENT_PAGES * 2 + 2 }, (_, i) => ({ id: i, body: 'x' }))
    await expect(findComment(octokit(many), ISSUE, MARKER, 'y', signal)).rejects.toThrow('more than are read')
  })
})
