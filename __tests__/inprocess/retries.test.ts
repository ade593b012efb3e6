import { describe, expect, it } from 'vitest'
import { createHttpClient } from '../../src/cloudflare/http.ts'
import { run } from '../../src/main.ts'
import type { FakeCloudflare, FaultRule } from '../../test-kit/fake-cloudflare.ts'
import type { ActionRun, RunOptions } from '../../test-kit/run-action.ts'
import { runInProcess } from '../support/run-in-process.ts'
import { FakeClock } from '../unit/fakes.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import {
  LIST,
  POST,
  calls,
  copiesOf,
  errorOf,
  htmlPage,
  jsonError,
  uploadWithFaults,
} from '../support/upload-faults.ts'

/**
 * Retries and backoff, through the action's entry function in this process with a fake clock (time
 * moves only when the action sleeps): real
 * HTTP to the stand-in, but every wait is recorded instead of slept, so the tests assert the exact
 * waits. A few of these run through dist/ with real waits in __tests__/e2e/network.test.ts.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

/** Equal-jitter backoff with random() at 0.5 (retry.ts): three quarters of 500 ms doubled per retry. */
const BACKOFF = [375, 750, 1500]

async function upload(
  faults: FaultRule[],
  inputs: Record<string, string> = {},
): Promise<{ run: ActionRun; sleeps: number[]; copies: () => number }> {
  // Real time to start from, as the stand-in stamps uploads with it; random() at 0.5 makes backoff exact.
  const clock = new FakeClock(Date.now(), 0.5)
  const start = (given: Record<string, string>, options: RunOptions): Promise<ActionRun> =>
    runInProcess(run, given, { ...options, dependencies: { http: createHttpClient(), clock } })
  const { run: result, fixture } = await uploadWithFaults(fake, start, faults, inputs)
  return { run: result, sleeps: clock.sleeps, copies: () => copiesOf(fake, fixture) }
}

describe('retries', () => {
  it('waits as Retry-After says on 429, then uploads once', async () => {
    const { run, sleeps, copies } = await upload([
      {
        method: POST,
        fault: jsonError(429, 971, 'Please wait and consider throttling your request speed', { 'retry-after': '1' }),
      },
    ])
    expect(run.exitCode).toBe(0)
    // A rate-limited request was not processed, so there is nothing to look up before retrying.
    expect(calls(fake)).toEqual([POST, POST])
    expect(run.log).toContain(
      'Attempt 1 of 4 to upload the certificate got HTTP 429: [971] Please wait and consider throttling your request speed; retrying in 1.0 s.',
    )
    expect(sleeps).toEqual([1000])
    expect(copies()).toBe(1)
  })

  it('honours retry-after-ms', async () => {
    const { run, sleeps } = await upload([
      { method: POST, fault: jsonError(429, 971, 'slow down', { 'retry-after-ms': '300' }) },
    ])
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('retrying in 0.3 s.')
    expect(sleeps).toEqual([300])
  })

  it('retries a 500 with a JSON error, looking first whether the upload took effect', async () => {
    const { run, sleeps, copies } = await upload([{ method: POST, fault: jsonError(500, 1000, 'Internal error') }])
    expect(run.exitCode).toBe(0)
    expect(calls(fake)).toEqual([POST, LIST, POST])
    expect(run.log).toContain(
      'Attempt 1 of 4 to upload the certificate got HTTP 500: [1000] Internal error; retrying in 0.4 s.',
    )
    expect(sleeps).toEqual(BACKOFF.slice(0, 1))
    expect(run.outputs.created).toBe('true')
    expect(copies()).toBe(1)
  })

  it('retries a 502 HTML page and names it', async () => {
    const { run } = await upload([{ method: POST, fault: htmlPage(502, '502 Bad Gateway') }])
    expect(run.exitCode).toBe(0)
    expect(calls(fake)).toEqual([POST, LIST, POST])
    expect(run.log).toContain(
      'got HTTP 502 with an HTML page titled "502 Bad Gateway" instead of Cloudflare\'s JSON answer',
    )
  })

  it('gets through several 503s, waiting longer each time', async () => {
    const { run, sleeps, copies } = await upload([
      { method: POST, times: 3, fault: htmlPage(503, 'Service Unavailable') },
    ])
    expect(run.exitCode).toBe(0)
    expect(calls(fake)).toEqual([POST, LIST, POST, LIST, POST, LIST, POST])
    for (const attempt of [1, 2, 3])
      expect(run.log).toContain(`Attempt ${attempt} of 4 to upload the certificate got HTTP 503`)
    expect(sleeps).toEqual(BACKOFF)
    expect(copies()).toBe(1)
  })

  it('says how many attempts were made and what the last one got when all fail', async () => {
    const { run, sleeps } = await upload([{ method: POST, times: 10, fault: htmlPage(503, 'Service Unavailable') }], {
      'max-retries': '2',
    })
    expect(run.exitCode).toBe(1)
    expect(calls(fake)).toEqual([POST, LIST, POST, LIST, POST])
    expect(sleeps).toEqual(BACKOFF.slice(0, 2))
    expect(errorOf(run)).toBe(
      'Could not upload the certificate: all 3 attempts failed; the last one got HTTP 503 with an HTML page titled "Service Unavailable" instead of Cloudflare\'s JSON answer. Cloudflare, or a proxy in between, is having trouble: re-run the job later (https://www.cloudflarestatus.com lists incidents).',
    )
  })

  it('makes one attempt with max-retries 0', async () => {
    const { run, sleeps } = await upload([{ method: POST, fault: jsonError(500, 1000, 'Internal error') }], {
      'max-retries': '0',
    })
    expect(run.exitCode).toBe(1)
    expect(calls(fake)).toEqual([POST])
    expect(sleeps).toEqual([])
    expect(errorOf(run)).toContain(
      'the only attempt (max-retries is 0) failed; the last one got HTTP 500: [1000] Internal error',
    )
  })

  it('retries a connection reset', async () => {
    const { run, copies } = await upload([{ method: POST, fault: { kind: 'reset' } }])
    expect(run.exitCode).toBe(0)
    expect(calls(fake)).toEqual([POST, LIST, POST])
    expect(run.log).toMatch(/Attempt 1 of 4 to upload the certificate got network error \([^)]*\); retrying in/)
    expect(copies()).toBe(1)
  })

  it('adopts the certificate when the answer to an upload that took effect is lost', async () => {
    const { run, sleeps, copies } = await upload([{ method: POST, fault: { kind: 'reset-after-commit' } }])
    expect(run.exitCode).toBe(0)
    // It waits, then looks before retrying, and finds the upload there.
    expect(calls(fake)).toEqual([POST, LIST])
    expect(sleeps).toEqual(BACKOFF.slice(0, 1))
    expect(copies()).toBe(1)
    const stored = [...fake.certificates.values()][0]
    expect(run.outputs['certificate-id']).toBe(stored?.id)
    expect(run.outputs.created).toBe('true')
  })

  it('retries a 200 whose body is not JSON, without duplicating', async () => {
    const { run, copies } = await upload([
      { method: POST, fault: { kind: 'respond', status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' } },
    ])
    expect(run.exitCode).toBe(0)
    expect(calls(fake)).toEqual([POST, LIST, POST])
    expect(run.log).toContain("got HTTP 200 with a text/plain body of 2 bytes instead of Cloudflare's JSON answer")
    expect(copies()).toBe(1)
  })

  it.each([
    [401, 10000, 'Authentication error'],
    [403, 10000, 'Authentication error'],
    [400, 1412, 'Invalid certificate'],
  ])('does not retry HTTP %i', async (status, code, message) => {
    const { run, sleeps } = await upload([{ method: POST, fault: jsonError(status, code, message) }])
    expect(run.exitCode).toBe(1)
    expect(calls(fake)).toEqual([POST])
    expect(sleeps).toEqual([])
    expect(errorOf(run)).toContain(`Could not upload the certificate: HTTP ${status}: [${code}] ${message}`)
  })
})

describe('time limits', () => {
  it('does not wait past the budget for a long Retry-After', async () => {
    const { run, sleeps } = await upload(
      [{ method: POST, fault: jsonError(429, 971, 'slow down', { 'retry-after': '120' }) }],
      { 'timeout-seconds': '5' },
    )
    expect(run.exitCode).toBe(1)
    expect(errorOf(run)).toMatch(
      /^Could not upload the certificate within timeout-seconds \(5 s\): attempt 1 got HTTP 429: \[971\] slow down, and the next attempt starts only after the time runs out \(120 s wait, 5\.0 s left\)\.$/,
    )
    expect(sleeps).toEqual([])
    expect(calls(fake)).toEqual([POST])
  })

  it('stops retrying once the waits have used up timeout-seconds', async () => {
    const { run, sleeps } = await upload([{ method: POST, times: 10, fault: htmlPage(503, 'Service Unavailable') }], {
      'timeout-seconds': '1',
      'max-retries': '10',
    })
    expect(run.exitCode).toBe(1)
    // A wait of 375 ms leaves 0.625 s: not enough for the next wait of 0.75 s.
    expect(sleeps).toEqual(BACKOFF.slice(0, 1))
    expect(calls(fake)).toEqual([POST, LIST, POST])
    expect(errorOf(run)).toMatch(
      /^Could not upload the certificate within timeout-seconds \(1 s\): attempt 2 got HTTP 503 .*\(0\.8 s wait, 0\.6 s left\)\.$/,
    )
  })
})
