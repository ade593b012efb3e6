import { describe, expect, it } from 'vitest'
import { defaultDependencies, type Dependencies } from '../../../src/cloudflare/dependencies.ts'
import { runMainStep } from '../../../src/pipeline/main-step.ts'
import type { FakeCloudflare } from '../../../test-kit/fake-cloudflare.ts'
import { clientInputs, makeClient, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { runInProcess } from '../../support/run-in-process.ts'
import { useStandIn } from '../../support/stand-in-hooks.ts'

/** The main step in the test process against the stand-in: one pipeline, planned or applied. */
let fake: FakeCloudflare
useStandIn((started) => {
  fake = started
})

const mainStep = (inputs: Record<string, string>, workspace?: string) =>
  runInProcess((d?: Dependencies) => runMainStep(d ?? defaultDependencies()), inputs, workspace ? { workspace } : {})

describe('runMainStep', () => {
  it('plans a dry run from one listing and stops: no upload, the plan in the outputs', async () => {
    const run = await mainStep(clientInputs(fake, makeClient('ec'), { 'dry-run': 'true' }))
    expect(run.exitCode).toBe(0)
    expect(fake.requests.map((r) => r.method)).toEqual(['GET'])
    expect(JSON.parse(run.outputs.plan ?? '')).toEqual([{ name: 'payments-client', action: 'upload' }])
    expect(run.outputs.changes).toBe('1')
    expect(run.log).toContain('Plan: payments-client · upload')
    expect(run.summary).toContain('Dry run: this certificate would be uploaded')
  })

  it('applies a real run: uploads once, without a listing, and sets the outputs of the placement', async () => {
    const run = await mainStep(clientInputs(fake, makeClient('ec')))
    expect(run.exitCode).toBe(0)
    expect(fake.requests.map((r) => r.method)).toEqual(['POST'])
    const [stored] = [...fake.certificates.values()]
    expect(run.outputs['certificate-id']).toBe(stored?.id)
    expect(run.outputs.created).toBe('true')
    expect(run.summary).toContain('Uploaded a new mTLS certificate to Cloudflare')
    expect(run.summary).not.toContain('would')
  })

  it('refuses fail-on-changes without dry-run before any request', async () => {
    const run = await mainStep(clientInputs(fake, makeClient('ec'), { 'fail-on-changes': 'true' }))
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain("Input 'fail-on-changes' needs dry-run: true")
    expect(fake.requests).toEqual([])
  })

  it('refuses a Wrangler Worker name that is no Worker name before the upload, naming the file', async () => {
    const workspace = makeWorkspace({
      'wrangler.toml': `name = "payments eu"\n[[mtls_certificates]]\nbinding = "CERT"\ncertificate_id = "11111111-1111-4111-8111-111111111111"\n`,
    })
    const inputs = {
      replace: 'true',
      'replace-when': 'immediately',
      'wrangler-config': 'wrangler.toml',
      binding: 'CERT',
    }
    const run = await mainStep(clientInputs(fake, makeClient('ec'), inputs), workspace)
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain(
      "Wrangler file 'wrangler.toml' deploys a Worker named 'payments eu', which is not a Worker name",
    )
    expect(fake.requests).toEqual([])
  })
})
