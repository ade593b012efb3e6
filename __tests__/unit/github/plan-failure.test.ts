import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '@actions/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { commentPlanFailure } from '../../../src/github/plan-failure.ts'
import { FakeGitHub } from '../../support/fake-github.ts'
import { inputSource } from '../fakes.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
  info: vi.fn(),
  debug: vi.fn(),
  warning: vi.fn(),
}))

const TOKEN = 'ghs_pl4nFailureT0kenCCCCCCCCCCCCCCCCCCCCC'
const SHA = '89e6c98d92887913cadf06b2adb97f26cde4849b'
const github = new FakeGitHub(TOKEN)

/** The runner's description of a pull_request run: its event file. */
function pullRequestEnv(): Record<string, string> {
  const path = join(mkdtempSync(join(tmpdir(), 'plan-failure-')), 'event.json')
  writeFileSync(
    path,
    JSON.stringify({
      pull_request: { number: 4, head: { repo: { full_name: github.repository }, sha: SHA } },
      repository: { full_name: github.repository },
    }),
  )
  return { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path }
}

const inputs = (prComment: string) =>
  inputSource({ manifest: 'deploy/certificates.yml', 'pr-comment': prComment, 'github-token': TOKEN }, pullRequestEnv())

beforeAll(async () => {
  await github.start()
  process.env.GITHUB_API_URL = github.url
})
afterAll(async () => {
  await github.stop()
})
beforeEach(() => {
  github.reset()
  github.add({ number: 4, title: 'Certificates', body: '', pull_request: true })
  vi.mocked(core.warning).mockClear()
})

describe('commentPlanFailure', () => {
  it('with pr-comment, comments that the plan failed, for the head commit, with the error', async () => {
    await commentPlanFailure(
      inputs('true'),
      new Error('deploy/certificates.yml:3: certificates[0].ca is missing'),
      new Date('2026-12-07T18:00:00Z'),
    )
    expect(github.comments).toHaveLength(1)
    const body = github.comments[0]?.body ?? ''
    expect(body).toContain(`**The plan failed** for commit [\`${SHA.slice(0, 12)}\`]`)
    expect(body).toContain('at 2026-12-07 18:00 UTC')
    expect(body).toContain('deploy/certificates.yml:3: certificates[0].ca is missing')
  })

  it('does nothing without pr-comment, or when pr-comment itself is what is wrong', async () => {
    await commentPlanFailure(inputs('false'), new Error('x'), new Date())
    await commentPlanFailure(inputs('maybe'), new Error("Input 'pr-comment' …"), new Date())
    expect(github.requests).toEqual([])
  })
})
