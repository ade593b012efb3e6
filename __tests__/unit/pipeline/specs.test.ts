import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { readSpecs } from '../../../src/pipeline/specs.ts'
import { ACCOUNT_ID, API_TOKEN, makeClient } from '../../../test-kit/fixtures.ts'
import { FakeClock, inputSource } from '../fakes.ts'
import { MANIFEST_PATH, manifestRepository, pullRequestEvent } from '../../support/manifest-workspace.ts'

const summaries: string[] = []
vi.mock('../../../src/action/job-summary.ts', () => ({
  writeSummary: (html: string) => {
    summaries.push(html)
    return Promise.resolve()
  },
}))

function logged(): string[] {
  const lines: string[] = []
  for (const level of ['info', 'notice', 'warning'] as const)
    vi.spyOn(log, level).mockImplementation((message: string) => {
      lines.push(`${level}: ${message}`)
    })
  return lines
}

afterEach(() => {
  vi.restoreAllMocks()
  summaries.length = 0
})

const api = { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN }

describe('readSpecs', () => {
  it("makes the single step's inputs one entry, named by the name input, its checks logged", async () => {
    const lines = logged()
    const fixture = makeClient('ec')
    const specs = await readSpecs(
      inputSource({
        ...api,
        certificate: fixture.client.pem,
        'private-key': fixture.keyPem,
        ca: 'false',
        name: 'payments',
      }),
      new FakeClock(Date.now()),
    )
    expect(specs?.manifest).toBe('')
    expect(specs?.entries.map((e) => [e.name, e.spec.name, e.line])).toEqual([['payments', 'payments', undefined]])
    expect(specs?.step.accountId).toBe(ACCOUNT_ID)
    expect(lines.filter((l) => l.startsWith('info: Certificate '))).toHaveLength(1)
    expect(lines.join('\n')).toContain(', with its private key.')
  })

  it("names the single entry '' without a name input", async () => {
    logged()
    const fixture = makeClient('ec')
    const specs = await readSpecs(
      inputSource({ ...api, certificate: fixture.client.pem, 'private-key': fixture.keyPem, ca: 'false' }),
      new FakeClock(Date.now()),
    )
    expect(specs?.entries[0]?.name).toBe('')
  })

  it("reads a manifest's entries, each with its line, every entry's checks logged", async () => {
    const lines = logged()
    const repo = manifestRepository()
    const specs = await readSpecs(
      inputSource({ ...api, manifest: MANIFEST_PATH }, { ...repo.env, GITHUB_WORKSPACE: repo.workspace }),
      new FakeClock(Date.now()),
    )
    expect(specs?.manifest).toBe(MANIFEST_PATH)
    expect(specs?.entries.map((e) => [e.name, typeof e.line])).toEqual([
      ['payments-client', 'number'],
      ['billing-client', 'number'],
      ['api-clients-ca', 'number'],
    ])
    expect(lines.filter((l) => l.startsWith('info: Certificate '))).toHaveLength(3)
  })

  it("gives no specs for a fork's pull request without credentials, saying why in the log and the summary", async () => {
    const repo = manifestRepository()
    writeFileSync(
      join(repo.workspace, 'a<b>.yml'),
      readFileSync(join(repo.workspace, MANIFEST_PATH), 'utf8')
        .replaceAll(': certs/', ': deploy/certs/')
        .replace(': pki/', ': deploy/pki/'),
    )
    const lines = logged()
    const event = pullRequestEvent(mkdtempSync(join(tmpdir(), 'specs-')), 7, true)
    // No secrets: the keys' variables are not set, and every check that needs none still runs.
    const specs = await readSpecs(
      inputSource({ manifest: 'a<b>.yml' }, { ...event, GITHUB_WORKSPACE: repo.workspace }),
      new FakeClock(Date.now()),
    )
    expect(specs).toBeUndefined()
    expect(lines.filter((line) => line.startsWith('notice: The manifest'))).toEqual([
      expect.stringMatching(
        /^notice: The manifest's plan is not made: pull requests from forks get no secrets.*3 entries checked/,
      ),
    ])
    expect(summaries).toEqual([expect.stringContaining('<h2>mTLS certificates: a&lt;b&gt;.yml</h2>')])
  })
})
