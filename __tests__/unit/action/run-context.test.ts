import { afterEach, describe, expect, it, vi } from 'vitest'
import { githubRunContext, runUrl } from '../../../src/action/run-context.ts'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('githubRunContext', () => {
  it("reads the run from the runner's variables", async () => {
    vi.stubEnv('GITHUB_SERVER_URL', 'https://ghes.example.com')
    vi.stubEnv('GITHUB_REPOSITORY', 'team/certs')
    vi.stubEnv('GITHUB_SHA', 'a'.repeat(40))
    vi.stubEnv('GITHUB_RUN_ID', '1234')
    expect(await githubRunContext()).toEqual({
      serverUrl: 'https://ghes.example.com',
      repository: 'team/certs',
      sha: 'a'.repeat(40),
      runId: 1234,
    })
  })

  it('leaves out the repository when the runner names none', async () => {
    // @actions/github reads the other variables once, when it is loaded (by the test above).
    vi.stubEnv('GITHUB_REPOSITORY', '')
    expect(await githubRunContext()).not.toHaveProperty('repository')
  })
})

describe('runUrl', () => {
  it("links the run's page", () => {
    expect(runUrl({ serverUrl: 'https://github.com', repository: 'team/certs', runId: 42 })).toBe(
      'https://github.com/team/certs/actions/runs/42',
    )
  })

  it('is undefined without a repository or a run id', () => {
    expect(runUrl({ serverUrl: 'https://github.com', runId: 42 })).toBeUndefined()
    expect(runUrl({ serverUrl: 'https://github.com', repository: 'team/certs' })).toBeUndefined()
  })
})
