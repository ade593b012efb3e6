import { expect } from 'vitest'
import type { Fault, FaultRule, FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { errorAnswer } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, clientInputs, makeClient, type ClientFixture } from '../../test-kit/fixtures.ts'
import { leakedSecrets, type ActionRun, type RunOptions } from '../../test-kit/run-action.ts'

/** Uploads against a stand-in with faults injected: shared by the retry tests in-process and through dist/. */

export const POST = 'POST'
export const LIST = 'GET'

export type Start = (inputs: Record<string, string>, options: RunOptions) => Promise<ActionRun>

export const errorOf = (run: ActionRun): string | undefined => run.annotations.find((a) => a.level === 'error')?.message

export const jsonError = (status: number, code: number, message: string, headers: Record<string, string> = {}): Fault =>
  errorAnswer(status, [{ code, message }], headers)

export const htmlPage = (status: number, title: string): Fault => ({
  kind: 'respond',
  status,
  headers: { 'content-type': 'text/html' },
  body: `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`,
})

/** The methods of the requests the stand-in received, in order. */
export const calls = (fake: FakeCloudflare): string[] => fake.requests.map((r) => r.method)

/** How many copies of this fixture's certificate the account holds. */
export const copiesOf = (fake: FakeCloudflare, fixture: ClientFixture): number =>
  [...fake.certificates.values()].filter((c) => c.certificates.includes(fixture.client.pem.trim().split('\n')[1] ?? ''))
    .length

/**
 * One upload of a fresh certificate with `faults` injected, started by `start`; checks that no secret
 * leaked and that the account holds at most one copy.
 */
export async function uploadWithFaults(
  fake: FakeCloudflare,
  start: Start,
  faults: FaultRule[],
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<{ run: ActionRun; fixture: ClientFixture }> {
  const fixture = makeClient('ec')
  for (const fault of faults) fake.inject(fault)
  const run = await start(clientInputs(fake, fixture, inputs), { env })
  expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
  expect(copiesOf(fake, fixture)).toBeLessThanOrEqual(1)
  return { run, fixture }
}
