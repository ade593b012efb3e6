import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { syncExpiryIssue } from '../../../src/audit/issue.ts'
import { issueMarker, type IssueScope } from '../../../src/audit/issue-text.ts'
import { auditedCertificate } from '../fakes.ts'
import { FakeGitHub } from '../../support/fake-github.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
  info: vi.fn(),
  debug: vi.fn(),
  warning: vi.fn(),
}))

const TOKEN = 'ghs_issueT0kenAAAAAAAAAAAAAAAAAAAAAAAAAAA'
const github = new FakeGitHub(TOKEN)
const SCOPE: IssueScope = {
  accountId: '0123456789abcdef0123456789abcdef',
  policy: { warnDays: 30, failDays: 7, names: [] },
}
const tracking = () => ({ token: TOKEN, signal: new AbortController().signal, runUrl: 'https://github.com/run/1' })

beforeAll(async () => {
  await github.start()
  process.env.GITHUB_API_URL = github.url
  process.env.GITHUB_REPOSITORY = github.repository
})
afterAll(async () => {
  await github.stop()
})
beforeEach(() => {
  github.reset()
})

describe('syncExpiryIssue', () => {
  it('creates one issue for expiring certificates, leaves it unchanged on the same list, and closes it when none is left', async () => {
    const expiring = [auditedCertificate({ name: 'payments-client', status: 'expiring' })]
    const created = await syncExpiryIssue(expiring, SCOPE, tracking())
    expect(created.action).toBe('created')
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0]?.body).toContain(issueMarker(SCOPE))
    expect(github.issues[0]?.body).toContain('payments-client')

    expect((await syncExpiryIssue(expiring, SCOPE, tracking())).action).toBe('unchanged')
    expect(github.issues).toHaveLength(1)

    const closed = await syncExpiryIssue([], SCOPE, tracking())
    expect(closed.action).toBe('closed')
    expect(github.issues[0]?.state).toBe('closed')
  })

  it('does nothing with no expiring certificate and no issue open', async () => {
    expect(await syncExpiryIssue([], SCOPE, tracking())).toEqual({ action: 'none' })
    expect(github.issues).toHaveLength(0)
  })
})
