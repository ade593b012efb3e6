import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, clientInputs, makeClient } from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'

/**
 * Failures outside the steps' own work, through dist/ as the runner runs it: an error thrown where no
 * step catches it must still end in one error annotation, never in Node's print of the minified bundle
 * line; and what only decorates the summary must never fail a step whose work is done.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)

/** No line of the minified bundle (one of them is about 145,000 characters), nor a stack trace. */
function expectNoSource(run: ActionRun): void {
  for (const line of `${run.log}\n${run.stderr}`.split('\n')) expect(line.length).toBeLessThan(4200)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

describe('an error outside the step', () => {
  it('fails the main step with one error annotation when the state file cannot be written', async () => {
    const fixture = makeClient('ec')
    const run = await runAction(clientInputs(fake, fixture), {
      env: { GITHUB_STATE: join('/nonexistent-dir-for-mtls-test', 'state') },
    })
    expect(run.exitCode).toBe(1)
    expect(errors(run)).toEqual([expect.stringMatching(/^Unexpected error: .*state/i)])
    expectNoSource(run)
    expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
  })
})

describe('the summary', () => {
  it('writes the summary with the links to the run under a proxy @actions/github would refuse (socks5), which a single upload does not load', async () => {
    const fixture = makeClient('ec')
    // The stand-in is on loopback, which no proxy serves; GitHub's API would go through the socks5 proxy.
    const run = await runAction(clientInputs(fake, fixture), {
      env: { HTTPS_PROXY: 'socks5://127.0.0.1:9', NO_PROXY: '127.0.0.1' },
    })
    expect(errors(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['certificate-id']).toBeTruthy()
    expect(warnings(run)).toEqual([])
    expect(run.summary).toContain(run.outputs['certificate-id'])
    expect(run.summary).toContain('https://github.com/acme/certificates/actions/runs/4242')
    // The post step needs the main step's mark: saved.
    expect(run.state.isPost).toBe('true')
    expectNoSource(run)
  })
})
