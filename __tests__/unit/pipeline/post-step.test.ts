import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { defaultDependencies, type Dependencies } from '../../../src/cloudflare/dependencies.ts'
import { runPostStep } from '../../../src/pipeline/post-step.ts'
import { errorAnswer, type FakeCloudflare } from '../../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, issuedEarlier, makeClient } from '../../../test-kit/fixtures.ts'
import { savedState } from '../../../test-kit/run-action.ts'
import { runInProcess } from '../../support/run-in-process.ts'
import { SAVED_STEPS, retireSteps } from '../../support/saved-steps.ts'
import { useStandIn } from '../../support/stand-in-hooks.ts'

/** The post step in the test process against the stand-in: the saved tail carried out, or refused. */
let fake: FakeCloudflare
useStandIn((started) => {
  fake = started
})

const postStep = (state: Record<string, string>) =>
  runInProcess(
    (d?: Dependencies) => runPostStep(d ?? defaultDependencies()),
    {
      'account-id': ACCOUNT_ID,
      'api-token': API_TOKEN,
      'api-base-url': fake.url,
    },
    // As a main step saves it: the steps in a file of RUNNER_TEMP, the state naming it.
    savedState(state),
  )

function rotation() {
  const pem = makeClient('ec').client.pem
  const older = fake.seed(issuedEarlier(), {
    name: 'payments',
    uploadedOn: new Date(Date.now() - 86_400_000).toISOString(),
  })
  const ours = fake.seed(pem, { name: 'payments', uploadedOn: new Date().toISOString() })
  const saved = {
    id: ours.id,
    name: 'payments',
    ca: false,
    issuedAt: new X509Certificate(pem).validFromDate.getTime(),
    uploadedOn: ours.uploaded_on,
  }
  return { older, ours, saved }
}

describe('runPostStep', () => {
  it('says there is nothing to replace when the main step saved nothing, with no request', async () => {
    const run = await postStep({})
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('Nothing to replace: the main step scheduled no replace for the end of the job.')
    expect(fake.requests).toEqual([])
  })

  it('deletes nothing for saved steps it cannot trust, and warns without failing the job', async () => {
    const { saved } = rotation()
    const run = await postStep({ [SAVED_STEPS]: retireSteps([{ ...saved, uploadedOn: 'yesterday' }]) })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('cannot be trusted (its upload time is not an ISO 8601 time)')
    expect(fake.requests).toEqual([])
    expect(fake.certificates.size).toBe(2)
  })

  it('carries out the saved retire: the older certificate deleted, the summary says so', async () => {
    const { older, ours, saved } = rotation()
    const run = await postStep({ [SAVED_STEPS]: retireSteps([saved]) })
    expect(run.exitCode).toBe(0)
    expect([...fake.certificates.keys()]).toEqual([ours.id])
    expect(run.summary).toContain(
      `<h3>Replace at the end of the job: certificates named payments older than <code>${ours.id}</code></h3>`,
    )
    expect(run.summary).toContain(`<td><code>${older.id}</code></td>`)
  })

  it('warns and keeps the older certificates when a retire fails, naming it', async () => {
    const { saved } = rotation()
    fake.inject({
      method: 'GET',
      fault: errorAnswer(403, [{ code: 9109, message: 'Unauthorized to access requested resource' }]),
      times: 9,
    })
    const run = await postStep({ [SAVED_STEPS]: retireSteps([saved]) })
    expect(run.exitCode).toBe(0)
    expect(run.log).toMatch(
      /Replace at the end of the job could not finish: .*the older ones it replaces \(of 'payments'\) are left as they were/,
    )
    expect(fake.certificates.size).toBe(2)
    expect(run.summary).toContain('Could not finish:')
  })
})
