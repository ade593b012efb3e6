import type { getOctokit } from '@actions/github'
import { nextPageUrl } from '../action/github-api.ts'

/** Pages of 100 comments read at most, looking for ours: a pull request with more is left alone. */
export const MAX_COMMENT_PAGES = 10

type Octokit = ReturnType<typeof getOctokit>

export interface ListedComment {
  id: number
  body?: string | null | undefined
  user?: { login?: string } | null | undefined
}

/**
 * Our comment among the pull request's: the oldest the token's own identity wrote that carries the
 * marker (another author's copy of the marker is left alone), following pages on GitHub's origin only.
 */
export async function findComment(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
  marker: string,
  login: string,
  signal: AbortSignal,
): Promise<ListedComment | undefined> {
  const ours = (comment: ListedComment): boolean =>
    (comment.body ?? '').includes(marker) && comment.user?.login?.toLowerCase() === login.toLowerCase()
  let response: { data: ListedComment[]; headers: { link?: string | undefined } } =
    await octokit.rest.issues.listComments({ ...issue, per_page: 100, request: { signal } })
  for (let page = 1; ; page++) {
    const found = response.data.find(ours)
    if (found) return found
    const next = nextPageUrl(response.headers.link)
    if (!next) return undefined
    if (page >= MAX_COMMENT_PAGES) {
      throw new Error(
        `the pull request has over ${MAX_COMMENT_PAGES * 100} comments, more than are read to find the plan's`,
      )
    }
    response = await octokit.request(`GET ${next}`, { request: { signal } })
  }
}
