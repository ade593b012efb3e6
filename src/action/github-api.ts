import { errorMessage } from '../core/errors.ts'

/** What the steps share of GitHub's API through Octokit: where it is, its pages, and its failures. */

/** Where @actions/github sends its requests: the token goes to this origin only. */
const gitHubApiUrl = (): string => process.env.GITHUB_API_URL || 'https://api.github.com'

/** A failure of a GitHub call, with what to check: the token's permissions only when GitHub answered. */
export class GitHubError extends Error {
  override name = 'GitHubError'
  readonly hint: string
  constructor(message: string, hint: string, options?: ErrorOptions) {
    super(message, options)
    this.hint = hint
  }
}

/** Octokit's error as a GitHubError: `permissionsHint` when GitHub answered, where to look when it did not. */
export function gitHubError(error: unknown, permissionsHint: string): unknown {
  if (error instanceof GitHubError || !(error instanceof Error)) return error
  // Octokit's errors carry the status apart from GitHub's message ("Resource not accessible by integration").
  if (!('status' in error) || typeof error.status !== 'number') return error
  // Octokit gives 500 to a request that got no answer at all (refused, reset, aborted): no response.
  if (!('response' in error) || error.response === undefined) {
    return new GitHubError(
      `GitHub could not be reached or did not answer (${errorMessage(error)})`,
      `check GITHUB_API_URL (${gitHubApiUrl()}) and, on a runner behind a proxy, HTTPS_PROXY, HTTP_PROXY and NO_PROXY.`,
      { cause: error },
    )
  }
  return new GitHubError(`GitHub answered HTTP ${error.status} (${error.message})`, permissionsHint, { cause: error })
}

/**
 * The next page a `Link` header names (`rel="next"`), when it is on GITHUB_API_URL's origin;
 * undefined on the last page. One anywhere else is refused, not followed: Octokit would send the
 * token along.
 */
export function nextPageUrl(link: string | undefined, apiUrl: string = gitHubApiUrl()): string | undefined {
  const next = /<([^>]*)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1]
  if (next === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(next)
  } catch {
    url = undefined
  }
  const origin = new URL(apiUrl).origin
  if (url?.origin !== origin) {
    throw new GitHubError(
      `GitHub's answer named a next page off GITHUB_API_URL's origin (${origin}), which was not followed with the token`,
      'check GITHUB_API_URL, and what answers for it (a proxy that rewrites answers).',
    )
  }
  return url.href
}

/** The login the job's token (GITHUB_TOKEN) writes comments as; GET /user answers it 403. */
export const JOB_TOKEN_LOGIN = 'github-actions[bot]'

/**
 * The login a token writes as: GET /user's for a personal token; the job token's (github-actions[bot])
 * when GitHub answers 403, as it does for the job token. Any other failure is thrown: without knowing
 * who we are, no comment can be taken as ours.
 */
export async function tokenLogin(getUser: () => Promise<{ data: { login?: unknown } }>): Promise<string> {
  try {
    const { data } = await getUser()
    if (typeof data.login === 'string' && data.login !== '') return data.login
    throw new GitHubError(
      'GitHub answered GET /user without a login',
      'check GITHUB_API_URL, and what answers for it (a proxy that rewrites answers).',
    )
  } catch (error) {
    // GitHub's words for an installation token asking about a user: the job token is one.
    if (
      error instanceof Error &&
      'status' in error &&
      error.status === 403 &&
      /not accessible by integration/i.test(error.message)
    )
      return JOB_TOKEN_LOGIN
    throw error
  }
}
