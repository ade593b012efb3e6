import { SAVED_STEPS, retireSteps, savedSteps } from '../support/saved-steps.ts'
import { appendFileSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, clientInputs, makeClient, type ClientFixture, issuedEarlier } from '../../test-kit/fixtures.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep, postStep } from '../support/steps.ts'
import {
  MAX_ENV_STRING_BYTES,
  leakedSecrets,
  runAction,
  runPostStep,
  savedState,
  type ActionRun,
} from '../../test-kit/run-action.ts'

/**
 * replace-when: end-of-job, through dist/: the main step as the runner runs it, then (after whatever the
 * job's other steps do to the account) the post step with the state the main step saved, or with saved
 * state it cannot trust.
 */

let fake: FakeCloudflare
let fixture: ClientFixture
const NAME = 'payments-client'
const LAST_YEAR = '2025-11-01T00:00:00Z'

useStandIn((started) => (fake = started))

const calls = (): string[] => fake.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/mtls_certificates/, '')}`)
const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
const deletes = (): string[] => fake.requestsTo('DELETE').map((r) => r.path)
const errors = (run: ActionRun): string[] => run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
const older = (inUseBy?: string[]) =>
  fake.seed(issuedEarlier(), { name: NAME, uploadedOn: LAST_YEAR, ...(inUseBy ? { inUseBy } : {}) })

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return clientInputs(fake, fixture, { name: NAME, replace: 'true', ...extra })
}

async function step(run: Promise<ActionRun>): Promise<ActionRun> {
  const done = await run
  expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
  expect(errors(done)).toEqual([])
  expect(done.exitCode).toBe(0)
  return done
}

describe('replace at the end of the job', () => {
  it('keeps the old certificate through the main step and deletes it in the post step', async () => {
    fixture = makeClient('ec')
    const old = older()
    const main = await step(runAction(inputs()))
    const uploaded = main.outputs['certificate-id'] ?? ''
    expect(fake.certificates.has(old.id)).toBe(true)
    expect(main.outputs['replaced-ids']).toBe('[]')
    expect(JSON.parse(main.outputs['replace-candidates'] ?? '')).toEqual([old.id])
    expect(main.log).toContain(
      `Replace is scheduled for the end of the job: once every other step has succeeded, the post step deletes the certificates named '${NAME}' uploaded before this one that no service uses then (now: ${old.id}).`,
    )
    expect(main.summary).toContain('Replace runs at the end of the job')
    expect(savedSteps(main.state).map((saved) => saved.data.rotation)).toEqual([
      {
        id: uploaded,
        name: NAME,
        ca: false,
        issuedAt: fixture.client.x509.validFromDate.getTime(),
        uploadedOn: fake.certificates.get(uploaded)?.uploaded_on,
      },
    ])
    expect(calls()).toEqual(['POST ', 'GET '])

    fake.requests.length = 0
    const post = await step(runPostStep(inputs(), main))
    expect(calls()).toEqual(['GET ', `GET /${old.id}/associations`, `DELETE /${old.id}`])
    expect([...fake.certificates.keys()]).toEqual([uploaded])
    expect(post.log).toContain(
      `Certificate ${old.id} of the same name (uploaded ${LAST_YEAR}): deleted, older, same name, not in use.`,
    )
    expect(warnings(post)).toEqual([])
    expect(post.summary).toContain(
      `<h3>Replace at the end of the job: certificates named ${NAME} older than <code>${uploaded}</code></h3>`,
    )
    expect(post.summary).toContain(`<tr><td><code>${old.id}</code></td><td>${LAST_YEAR}</td><td>deleted</td>`)
    // The post step registers the secrets again before it logs anything.
    expect(post.masks).toEqual(expect.arrayContaining([API_TOKEN]))
    expect(post.rawStdout.indexOf(`::add-mask::${API_TOKEN}`)).toBeLessThan(post.rawStdout.search(/^(?!::add-mask::)/m))
  })

  it('deletes a certificate the deploy moved off between the main and post steps', async () => {
    fixture = makeClient('ec')
    const old = older(['gateway'])
    const main = await step(mainStep(inputs()))
    expect(JSON.parse(main.outputs['replace-candidates'] ?? '')).toEqual([old.id])
    fake.associations.delete(old.id) // what the deploy step does
    await step(postStep(inputs(), main))
    expect(fake.certificates.has(old.id)).toBe(false)
  })

  it('keeps one still in use at the end of the job, with a warning, and succeeds', async () => {
    fixture = makeClient('ec')
    const old = older(['gateway'])
    const main = await step(mainStep(inputs()))
    const post = await step(postStep(inputs(), main))
    expect(fake.certificates.has(old.id)).toBe(true)
    expect(warnings(post)).toEqual([
      `Certificate ${old.id} of the same name (uploaded ${LAST_YEAR}): kept, still in use by gateway (active).`,
    ])
    expect(fake.requestsTo('DELETE')).toEqual([])
  })

  it('warns, but does not fail the job, when a delete or the listing fails at the end', async () => {
    fixture = makeClient('ec')
    const old = older()
    const main = await step(mainStep(inputs({ 'max-retries': '0' })))
    fake.inject({ method: 'DELETE', fault: errorAnswer(500, [{ code: 10001, message: 'Internal' }]) })
    const failedDelete = await step(postStep(inputs({ 'max-retries': '0' }), main))
    expect(fake.certificates.has(old.id)).toBe(true)
    expect(warnings(failedDelete)).toEqual([
      expect.stringMatching(new RegExp(`^Certificate ${old.id} .*: kept, Could not delete`)),
    ])

    fake.inject({ method: 'GET', fault: errorAnswer(503, [{ code: 10001, message: 'Unavailable' }]) })
    const failedList = await step(postStep(inputs({ 'max-retries': '0' }), main))
    expect(warnings(failedList)).toEqual([
      expect.stringMatching(
        /^Replace at the end of the job could not finish: Could not list .*HTTP 503.*The new certificate is in place/,
      ),
    ])
  })

  it('uses the same time limit, and ends within it when Cloudflare hangs', async () => {
    fixture = makeClient('ec')
    older()
    const main = await step(mainStep(inputs()))
    fake.inject({ method: 'GET', times: 5, fault: { kind: 'hang' } })
    const post = await step(postStep(inputs({ 'timeout-seconds': '2' }), main))
    expect(post.durationMs).toBeLessThan(8000)
    expect(warnings(post)).toEqual([expect.stringMatching(/no answer within timeout-seconds \(2 s\)/)])
  })
})

describe('nothing scheduled, nothing done', () => {
  it('makes no request without saved state, as when the main step failed before uploading', async () => {
    fixture = makeClient('ec')
    older()
    const post = await step(mainStep(inputs(), { state: { isPost: 'true' } }))
    expect(fake.requests).toEqual([])
    expect(post.log).toContain('Nothing to replace')
  })

  it.each([
    ['replace is off', { replace: 'false' }],
    ['a dry run', { 'dry-run': 'true' }],
    ['replace-when is immediately', { 'replace-when': 'immediately' }],
  ])('schedules nothing when %s', async (_, extra) => {
    fixture = makeClient('ec')
    older()
    const main = await step(mainStep(inputs(extra)))
    expect(main.state).toEqual({ isPost: 'true' })
    const before = fake.requests.length
    await step(postStep(inputs(extra), main))
    expect(fake.requests.length).toBe(before)
  })

  it.each(['end-of-job', 'immediately'])(
    'says nothing of replace in the summary when it is skipped (reuse under another name), with %s',
    async (when) => {
      fixture = makeClient('ec')
      fake.seed(fixture.client.pem, { name: 'uploaded by hand' })
      const old = older()
      const main = await mainStep(inputs({ 'replace-when': when }))
      expect(main.exitCode).toBe(0)
      expect(main.state).toEqual({ isPost: 'true' })
      expect(main.summary).not.toMatch(/Replace|Other certificates named/)
      expect(fake.certificates.has(old.id)).toBe(true)
    },
  )

  it('deletes in the main step itself with replace-when immediately', async () => {
    fixture = makeClient('ec')
    const old = older()
    const main = await step(mainStep(inputs({ 'replace-when': 'immediately' })))
    expect(JSON.parse(main.outputs['replaced-ids'] ?? '')).toEqual([old.id])
    expect(main.outputs['replace-candidates']).toBe('[]')
    expect(fake.certificates.has(old.id)).toBe(false)
  })

  it('reports the plan in a dry run, at the end of the job as things stand', async () => {
    fixture = makeClient('ec')
    const old = older()
    const main = await step(mainStep(inputs({ 'dry-run': 'true' })))
    expect(JSON.parse(main.outputs['replace-candidates'] ?? '')).toEqual([old.id])
    expect(main.log).toContain(`Certificate ${old.id} of the same name (uploaded ${LAST_YEAR}): would delete`)
    expect(main.summary).toContain('(at the end of the job, as things stand now)')
    expect(fake.requestsTo('DELETE')).toEqual([])
  })

  it('a dry run with replace-when immediately plans the deletes in the step: no candidates left for the end of the job', async () => {
    fixture = makeClient('ec')
    const old = older()
    const main = await step(mainStep(inputs({ 'dry-run': 'true', 'replace-when': 'immediately' })))
    expect(main.outputs['replace-candidates']).toBe('[]')
    expect(main.outputs['replaced-ids']).toBe('[]')
    expect(main.log).toContain(`Certificate ${old.id} of the same name (uploaded ${LAST_YEAR}): would delete`)
    expect(main.summary).toContain('<h3>Other certificates named')
    expect(main.summary).not.toContain('(at the end of the job')
    expect(fake.requestsTo('DELETE')).toEqual([])
  })
})

describe('several rotations saved for one post step', () => {
  it('finishes the others when one fails, warns naming it, and writes the summary of all', async () => {
    fixture = makeClient('ec')
    const other = makeClient('ec')
    const [first, second] = ['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210']
    fake.seed(fixture.client.pem, { name: NAME, id: first })
    fake.seed(other.client.pem, { name: 'other-client', id: second })
    const oldFirst = older()
    const oldSecond = fake.seed(issuedEarlier(), { name: 'other-client', uploadedOn: LAST_YEAR })
    const saved = [
      { id: first, name: NAME },
      { id: second, name: 'other-client' },
    ].map((target) => ({ ...target, ca: false, issuedAt: Date.now(), uploadedOn: new Date().toISOString() }))
    // The first rotation's listing is refused (not retried); the second's goes through.
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: errorAnswer(403, [{ code: 10000, message: 'Authentication error' }]),
    })
    const done = await step(
      mainStep(clientInputs(fake, fixture, { name: NAME, replace: 'true' }), {
        ...savedState({ [SAVED_STEPS]: retireSteps(saved) }),
      }),
    )
    expect(deletes()).toEqual([expect.stringContaining(oldSecond.id)])
    expect(fake.certificates.has(oldFirst.id)).toBe(true)
    expect(warnings(done)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Replace at the end of the job could not finish rotation 1 of 2 \\(${first}\\): .*Authentication error`,
        ),
      ),
    ])
    expect(warnings(done)[0]).toContain(`the older ones it replaces (of '${NAME}') are left as they were`)
    expect(done.summary).toContain(`older than <code>${first}</code>`)
    expect(done.summary).toContain('Could not finish: ')
    expect(done.summary).toContain(`older than <code>${second}</code>`)
    expect(done.summary).toContain(oldSecond.id)
  })
})

describe('saved state the post step cannot trust', () => {
  const rotation = (overrides: Record<string, unknown> = {}): string =>
    retireSteps([
      {
        id: '0123456789abcdef0123456789abcdef',
        name: NAME,
        ca: false,
        issuedAt: Date.now(),
        uploadedOn: new Date().toISOString(),
        ...overrides,
      },
    ])

  it('deletes the older certificate with a saved rotation that reads well', async () => {
    fixture = makeClient('ec')
    const old = older()
    // The certificate the rotation names is in the account: without it, nothing would be deleted.
    fake.seed(fixture.client.pem, { name: NAME, id: '0123456789abcdef0123456789abcdef' })
    const done = await mainStep(clientInputs(fake, fixture, { name: NAME, replace: 'true' }), {
      ...savedState({ [SAVED_STEPS]: rotation() }),
    })
    expect(done.exitCode).toBe(0)
    expect(deletes()).toEqual([expect.stringContaining(old.id)])
  })

  it.each([
    ['an upload time that is not a date', rotation({ uploadedOn: 'soon' })],
    ['an upload time JavaScript reads leniently', rotation({ uploadedOn: '1' })],
    ['an issue time that is not finite', rotation().replace(/"issuedAt":\d+/, '"issuedAt":1e999')],
    ['an issue time that is text', rotation({ issuedAt: '1700000000000' })],
    ['an id that is a path', rotation({ id: '..' })],
    ['an empty name', rotation({ name: '' })],
    ['a ca flag that is text', rotation({ ca: 'false' })],
    ['text that is not JSON', '{"id":'],
    ['a list', '[]'],
  ])('deletes nothing and warns once, with %s', async (_, saved) => {
    fixture = makeClient('ec')
    older()
    const done = await mainStep(clientInputs(fake, fixture, { name: NAME, replace: 'true' }), {
      ...savedState({ [SAVED_STEPS]: saved }),
    })
    expect(done.exitCode).toBe(0)
    expect(deletes()).toEqual([])
    expect(warnings(done)).toEqual([expect.stringMatching(/saved.*delete|delete.*saved/i)])
  })
})

describe('the runner emulation', () => {
  it('refuses, as Linux does, a state value over 128 KiB (what stopped the post step of a large manifest)', async () => {
    const main = { state: { rotation: 'x'.repeat(MAX_ENV_STRING_BYTES) }, runnerTemp: tmpdir() } as unknown as ActionRun
    await expect(runPostStep({}, main)).rejects.toThrow(/E2BIG/)
  })
})

describe('saved state whose file the post step cannot trust', () => {
  const tamper = async (change: (file: string) => void): Promise<ActionRun> => {
    fixture = makeClient('ec')
    const old = older()
    const main = await step(mainStep(inputs()))
    change((JSON.parse(main.state[SAVED_STEPS] ?? '') as { file: string }).file)
    const post = await step(postStep(inputs(), main))
    expect(fake.certificates.has(old.id)).toBe(true)
    expect(deletes()).toEqual([])
    return post
  }

  it.each([
    [
      'changed after the main step wrote it',
      (file: string) => {
        appendFileSync(file, ' ')
      },
      /was changed after the main step wrote it/,
    ],
    [
      'missing',
      (file: string) => {
        rmSync(file)
      },
      /is missing or cannot be read/,
    ],
    [
      'a link to a file outside RUNNER_TEMP',
      (file: string) => {
        const outside = join(mkdtempSync(join(tmpdir(), 'outside-')), 'rotation.json')
        renameSync(file, outside)
        symlinkSync(outside, file)
      },
      /is not in the job's temporary folder/,
    ],
  ])('deletes nothing and warns once when the file is %s', async (_, change, reason) => {
    const post = await tamper(change)
    expect(warnings(post)).toEqual([
      expect.stringMatching(
        /^Replace at the end of the job deletes nothing: the rotation the main step saved for it cannot be trusted/,
      ),
    ])
    expect(warnings(post)[0]).toMatch(reason)
  })
})
