import { describe, expect, it } from 'vitest'
import { GitHubError, JOB_TOKEN_LOGIN, nextPageUrl, tokenLogin } from '../../../src/action/github-api.ts'

/** An error as Octokit throws it: a message, and GitHub's status apart. */
const answered = (status: number, message: string): Error => Object.assign(new Error(message), { status })

describe('tokenLogin', () => {
  it("is GET /user's login for a personal token", async () => {
    expect(await tokenLogin(() => Promise.resolve({ data: { login: 'release-bot' } }))).toBe('release-bot')
  })

  it("is github-actions[bot] when GitHub refuses an installation token GET /user, as it does the job's", async () => {
    const refused = answered(403, 'Resource not accessible by integration - https://docs.github.com/rest')
    expect(await tokenLogin(() => Promise.reject(refused))).toBe(JOB_TOKEN_LOGIN)
  })

  it('throws on any other failure, or an answer without a login: no comment can then be taken as ours', async () => {
    const limited = answered(403, 'API rate limit exceeded')
    await expect(tokenLogin(() => Promise.reject(limited))).rejects.toBe(limited)
    await expect(tokenLogin(() => Promise.reject(answered(500, 'Server Error')))).rejects.toThrow('Server Error')
    await expect(tokenLogin(() => Promise.resolve({ data: {} }))).rejects.toThrow(GitHubError)
    await expect(tokenLogin(() => Promise.resolve({ data: { login: 7 } }))).rejects.toThrow(
      'GitHub answered GET /user without a login',
    )
  })
})

describe('nextPageUrl', () => {
  it("follows a next page on GITHUB_API_URL's origin only", () => {
    const api = 'https://api.github.com'
    expect(nextPageUrl('<https://api.github.com/x?page=2>; rel="next"', api)).toBe('https://api.github.com/x?page=2')
    expect(nextPageUrl('<https://api.github.com/x?page=1>; rel="prev"', api)).toBeUndefined()
    expect(() => nextPageUrl('<https://evil.example/x?page=2>; rel="next"', api)).toThrow(GitHubError)
  })
})
