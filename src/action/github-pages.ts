import { InputError } from '../core/errors.ts'

/** Where @actions/github sends its requests: the token goes to this origin only. */
export const gitHubApiUrl = (): string => process.env.GITHUB_API_URL || 'https://api.github.com'

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
    throw new InputError(
      `GitHub's answer named a next page off GITHUB_API_URL's origin (${origin}), which was not followed with the token: check GITHUB_API_URL, and what answers for it (a proxy that rewrites answers).`,
    )
  }
  return url.href
}
