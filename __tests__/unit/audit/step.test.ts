import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { log } from '../../../src/action/log.ts'
import { run } from '../../../src/audit/step.ts'
import { createHttpClient } from '../../../src/cloudflare/http.ts'
import { systemClock } from '../../../src/core/clock.ts'
import type { FakeCloudflare } from '../../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../../test-kit/pki.ts'
import { useStandIn } from '../../support/stand-in-hooks.ts'

const DAY = 86_400_000
let fake: FakeCloudflare
useStandIn((started) => {
  fake = started
})

const expiringIn = (days: number, name: string) =>
  issueCertificate({ commonName: name, key: generateKey('ec'), notAfter: new Date(Date.now() + days * DAY - 60_000) })

let folder: string
beforeEach(() => {
  folder = makeWorkspace({ output: '', summary: '' })
  vi.stubEnv('GITHUB_OUTPUT', join(folder, 'output'))
  vi.stubEnv('GITHUB_STEP_SUMMARY', join(folder, 'summary'))
  vi.stubEnv('INPUT_ACCOUNT-ID', ACCOUNT_ID)
  vi.stubEnv('INPUT_API-TOKEN', API_TOKEN)
  vi.stubEnv('INPUT_API-BASE-URL', fake.url)
  vi.stubEnv('INPUT_CHECK-USAGE', 'false')
})

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
  process.exitCode = undefined
})

const output = (name: string): string | undefined =>
  new RegExp(`^${name}<<(\\S+)\\n([\\s\\S]*?)\\n\\1$`, 'm').exec(readFileSync(join(folder, 'output'), 'utf8'))?.[2]

describe('the audit step', () => {
  it('reads the account once, sets the outputs, writes the summary, and fails on a certificate within fail-days', async () => {
    const fail = vi.spyOn(log, 'fail').mockImplementation(() => undefined)
    vi.spyOn(log, 'warning').mockImplementation(() => undefined)
    const soon = fake.seed(expiringIn(5, 'soon').pem, { name: 'payments-soon' })
    fake.seed(expiringIn(200, 'later').pem, { name: 'payments-later' })
    await run({ http: createHttpClient(), clock: systemClock })
    expect(fake.requestsTo('POST')).toEqual([])
    expect(fake.requestsTo('DELETE')).toEqual([])
    expect(output('total')).toBe('2')
    expect(output('expiring-count')).toBe('1')
    expect(output('expired-count')).toBe('0')
    expect(JSON.parse(output('expiring') ?? '[]')).toEqual([
      expect.objectContaining({ id: soon.id, name: 'payments-soon', ca: false, days_left: 5, in_use: null }),
    ])
    const summary = readFileSync(join(folder, 'summary'), 'utf8')
    expect(summary).toContain('<h2>mTLS certificate audit: 1 expiring, 0 expired, of 2 certificates</h2>')
    expect(fail).toHaveBeenCalledTimes(1)
    expect(fail.mock.calls[0]?.[0]).toMatch(
      new RegExp(`^Certificate 'payments-soon' \\(leaf, id ${soon.id}\\) expires in 5 days`),
    )
  })

  it('fails with the input named, before any request, when an input is wrong', async () => {
    const fail = vi.spyOn(log, 'fail').mockImplementation(() => undefined)
    vi.stubEnv('INPUT_WARN-DAYS', 'soon')
    await run({ http: createHttpClient(), clock: systemClock })
    expect(fake.requestsTo('GET')).toEqual([])
    expect(fail).toHaveBeenCalledTimes(1)
    expect(fail.mock.calls[0]?.[0]).toMatch(/^Input 'warn-days' /)
  })

  it('passes, with no annotation, when nothing expires within warn-days', async () => {
    const fail = vi.spyOn(log, 'fail').mockImplementation(() => undefined)
    fake.seed(expiringIn(200, 'later').pem, { name: 'payments-later' })
    await run({ http: createHttpClient(), clock: systemClock })
    expect(fail).not.toHaveBeenCalled()
    expect(output('expiring')).toBe('[]')
    expect(output('total')).toBe('1')
  })
})
