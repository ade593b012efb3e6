import { SAVED_STEPS, retireSteps, savedSteps } from '../support/saved-steps.ts'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  ACCOUNT_ID,
  API_TOKEN,
  clientInputs,
  issuedEarlier,
  makeClient,
  makeWorkspace,
} from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction, runPostStep, savedState, type ActionRun } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep, postStep } from '../support/steps.ts'

/**
 * wrangler-config and binding: the certificate's id written into the Wrangler configurations once it
 * is in place (planned, never written, in a dry run), and replace keeping an older certificate that a
 * Worker still binds. Most cases run from source in this process; each behaviour has a run of dist/.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

const OLD = '11111111-1111-4111-8111-111111111111'
const OTHER = '22222222-2222-4222-8222-222222222222'
const LAST_WEEK = new Date(Date.now() - 7 * 86_400_000).toISOString()

const TOML = `# payments, deployed by CI
name = "payments"
main = "index.js"

[[mtls_certificates]]
binding = "PAYMENTS_CERT"   # the client certificate
certificate_id = "${OLD}"

[[mtls_certificates]]
binding = "OTHER_CERT"
certificate_id = "${OTHER}"

[env.production]
mtls_certificates = [ { binding = "PAYMENTS_CERT", certificate_id = "${OLD}" } ]

[env.staging]
name = "payments-stage"
[[env.staging.mtls_certificates]]
binding = "PAYMENTS_CERT"
`

const JSONC = `{
  // payments
  "name": "payments",
  "mtls_certificates": [
    { "binding": "OTHER_CERT", "certificate_id": "${OTHER}" },
    { "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}" }, // trailing comma follows
  ],
  "env": { "production": { "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}" }] } },
}
`

const JSON_FILE = `{
  "name": "billing",
  "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}" }]
}
`

const warnings = (run: ActionRun): string[] =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
const read = (workspace: string, file: string): string => readFileSync(join(workspace, file), 'utf8')
const workerCalls = (): string[] => fake.requests.filter((r) => r.path.includes('/workers/')).map((r) => r.path)

function inputs(fixture = makeClient('ec'), extra: Record<string, string> = {}): Record<string, string> {
  return clientInputs(fake, fixture, { 'wrangler-config': 'wrangler.toml', binding: 'PAYMENTS_CERT', ...extra })
}

describe('the id written into the Wrangler configurations', () => {
  it('through dist/: every entry of the binding, in both TOML forms and each environment, and nothing else', async () => {
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const fixture = makeClient('ec')
    const run = await runAction(inputs(fixture), { workspace })
    expect(run.exitCode).toBe(0)
    expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
    const id = run.outputs['certificate-id'] ?? ''
    // Byte for byte the file as it was, but the ids of PAYMENTS_CERT; OTHER_CERT keeps its own.
    const expected = TOML.replaceAll(OLD, id).replace(
      'binding = "PAYMENTS_CERT"\n',
      `binding = "PAYMENTS_CERT"\ncertificate_id = "${id}"\n`,
    )
    expect(read(workspace, 'wrangler.toml')).toBe(expected)
    expect(read(workspace, 'wrangler.toml')).toContain(`certificate_id = "${OTHER}"`)
    expect(JSON.parse(run.outputs['wrangler-configs'] ?? '')).toEqual(['wrangler.toml'])
    expect(run.log).toContain(
      `Wrangler 'wrangler.toml' (env.production, binding PAYMENTS_CERT): wrote certificate_id ${OLD} → ${id}.`,
    )
    expect(run.log).toContain(`(env.staging, binding PAYMENTS_CERT): wrote certificate_id (none) → ${id}.`)
    expect(run.summary).toContain('<h3>Wrangler configurations</h3>')
    expect(run.summary).toContain(`<td><code>${OLD}</code></td><td><code>${id}</code></td><td>written</td>`)
    // The upload itself is one request; a step without replace reads no Worker.
    expect(fake.requests.map((r) => r.method)).toEqual(['POST'])
  })

  it('JSON and JSONC, with comments, trailing commas and CRLF line ends, each changed only in the id', async () => {
    const crlf = JSONC.replaceAll('\n', '\r\n')
    const workspace = makeWorkspace({ 'wrangler.jsonc': crlf, 'billing/wrangler.json': JSON_FILE })
    const run = await mainStep(
      inputs(makeClient('ec'), { 'wrangler-config': 'wrangler.jsonc\nbilling/wrangler.json' }),
      {
        workspace,
      },
    )
    expect(run.exitCode).toBe(0)
    const id = run.outputs['certificate-id'] ?? ''
    expect(read(workspace, 'wrangler.jsonc')).toBe(crlf.replaceAll(OLD, id))
    expect(read(workspace, 'billing/wrangler.json')).toBe(JSON_FILE.replaceAll(OLD, id))
    expect(JSON.parse(run.outputs['wrangler-configs'] ?? '')).toEqual(['wrangler.jsonc', 'billing/wrangler.json'])
  })

  it('through dist/: a byte order mark, CRLF, Latin-1 bytes and one-line objects kept; only the id bytes added', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf])
    const toml = Buffer.concat([
      bom,
      Buffer.from(
        '# Z\xfcrich office\r\nname = "payments"\r\n[[mtls_certificates]]\r\nbinding = "PAYMENTS_CERT"',
        'latin1',
      ),
    ])
    const json = Buffer.concat([
      bom,
      Buffer.from('{ "name": "billing", "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }\r\n'),
    ])
    const workspace = makeWorkspace({ 'wrangler.toml': toml, 'billing/wrangler.json': json })
    const run = await runAction(
      inputs(makeClient('ec'), { 'wrangler-config': 'wrangler.toml\nbilling/wrangler.json' }),
      {
        workspace,
      },
    )
    expect(run.exitCode).toBe(0)
    const id = run.outputs['certificate-id'] ?? ''
    expect(readFileSync(join(workspace, 'wrangler.toml'))).toEqual(
      Buffer.concat([toml, Buffer.from(`\r\ncertificate_id = "${id}"`)]),
    )
    expect(readFileSync(join(workspace, 'billing/wrangler.json'))).toEqual(
      Buffer.from(
        json.toString('latin1').replace('"PAYMENTS_CERT"', `"PAYMENTS_CERT", "certificate_id": "${id}"`),
        'latin1',
      ),
    )
  })

  it('changes nothing on a re-run: the id is there already', async () => {
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const fixture = makeClient('ec')
    const first = await mainStep(inputs(fixture), { workspace })
    const after = read(workspace, 'wrangler.toml')
    const again = await mainStep(inputs(fixture), { workspace })
    expect(again.exitCode).toBe(0)
    expect(again.outputs.created).toBe('false')
    expect(again.outputs['certificate-id']).toBe(first.outputs['certificate-id'])
    expect(read(workspace, 'wrangler.toml')).toBe(after)
    expect(again.outputs['wrangler-configs']).toBe('[]')
    expect(again.log).toContain('certificate_id already holds it')
    expect(again.summary).toContain('<td>unchanged</td>')
  })

  it.each([
    [
      'a missing binding',
      TOML.replaceAll('PAYMENTS_CERT', 'BILLING_CERT'),
      'has no mtls_certificates entry with binding = "PAYMENTS_CERT"',
    ],
    ['an unparsable file', `${TOML}\n[[mtls_certificates]\n`, "'wrangler.toml' cannot be parsed, line"],
  ])('refuses %s before any request', async (_what, text, message) => {
    const workspace = makeWorkspace({ 'wrangler.toml': text })
    const run = await mainStep(inputs(), { workspace })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain(message)
    expect(fake.requests).toEqual([])
    expect(read(workspace, 'wrangler.toml')).toBe(text)
  })

  it('through dist/, a dry run plans the edits with the placeholder and writes nothing', async () => {
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const run = await runAction(inputs(makeClient('ec'), { 'dry-run': 'true' }), { workspace })
    expect(run.exitCode).toBe(0)
    expect(read(workspace, 'wrangler.toml')).toBe(TOML)
    expect(run.outputs['wrangler-configs']).toBe('[]')
    expect(run.log).toContain(`would write certificate_id ${OLD} → (the new certificate's id).`)
    expect(run.summary).toContain('<td>would write</td>')
    expect(fake.requests.every((r) => r.method === 'GET')).toBe(true)
  })

  it('a dry run that would reuse the certificate shows its id, and writes nothing', async () => {
    const fixture = makeClient('ec')
    const seeded = fake.seed(fixture.client.pem, { name: 'payments-client' })
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const run = await mainStep(inputs(fixture, { 'dry-run': 'true' }), { workspace })
    expect(run.exitCode).toBe(0)
    expect(read(workspace, 'wrangler.toml')).toBe(TOML)
    expect(run.log).toContain(`would write certificate_id ${OLD} → ${seeded.id}.`)
    expect(run.summary).toContain(`<td><code>${seeded.id}</code></td><td>would write</td>`)
  })

  it('fails with certificate-id set when the file changes during the upload, and a re-run finishes', async () => {
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const fixture = makeClient('ec')
    // Another step rewrites the file while the certificate is uploaded: the binding is gone from it.
    const requests = fake.requests
    requests.push = (...recorded) => {
      if (recorded.some((r) => r.method === 'POST')) {
        writeFileSync(join(workspace, 'wrangler.toml'), TOML.replaceAll('PAYMENTS_CERT', 'BILLING_CERT'))
      }
      return Array.prototype.push.apply(requests, recorded)
    }
    let failed: ActionRun
    try {
      failed = await mainStep(inputs(fixture), { workspace })
    } finally {
      delete (requests as { push?: unknown }).push
    }
    expect(failed.exitCode).toBe(1)
    const id = failed.outputs['certificate-id'] ?? ''
    expect(id).not.toBe('')
    expect(failed.log).toContain(`The certificate is uploaded as ${id} (its id is in the step's outputs)`)
    expect(failed.log).toContain('has no mtls_certificates entry with binding = "PAYMENTS_CERT"')

    writeFileSync(join(workspace, 'wrangler.toml'), TOML)
    const again = await mainStep(inputs(fixture), { workspace })
    expect(again.exitCode).toBe(0)
    expect(again.outputs['certificate-id']).toBe(id)
    expect(again.outputs.created).toBe('false')
    expect(read(workspace, 'wrangler.toml')).toBe(
      TOML.replaceAll(OLD, id).replace(
        'binding = "PAYMENTS_CERT"\n',
        `binding = "PAYMENTS_CERT"\ncertificate_id = "${id}"\n`,
      ),
    )
  })
})

describe('replace keeps a certificate a Worker still binds', () => {
  const rotate = (extra: Record<string, string> = {}, fixture = makeClient('ec')): Record<string, string> =>
    inputs(fixture, { replace: 'true', 'replace-when': 'immediately', ...extra })

  it('keeps it while the Worker binds it, and deletes it once the Worker binds the new one', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    fake.deployWorker('payments', { PAYMENTS_CERT: older.id })
    fake.deployWorker('payments-production', { PAYMENTS_CERT: older.id })
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const fixture = makeClient('ec')
    const run = await mainStep(rotate({}, fixture), { workspace })
    expect(run.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(true)
    // The Workers the file deploys, each read once: what each deploys now, and each version of it.
    expect(
      workerCalls()
        .filter((path) => path.endsWith('/deployments'))
        .sort(),
    ).toEqual(
      ['payments', 'payments-production', 'payments-stage']
        .map((w) => `/client/v4/accounts/${ACCOUNT_ID}/workers/scripts/${w}/deployments`)
        .sort(),
    )
    expect(workerCalls().filter((path) => path.includes('/versions/'))).toHaveLength(2)
    expect(warnings(run)).toEqual([
      `Certificate ${older.id} of the same name (uploaded ${LAST_WEEK}): kept, used by Worker payments (PAYMENTS_CERT, 100 %) and Worker payments-production (PAYMENTS_CERT, 100 %).`,
    ])
    expect(run.summary).toContain('used by Worker payments (PAYMENTS_CERT, 100 %)')
    expect(run.outputs['replaced-ids']).toBe('[]')

    const id = run.outputs['certificate-id'] ?? ''
    fake.deployWorker('payments', { PAYMENTS_CERT: id })
    fake.deployWorker('payments-production', { PAYMENTS_CERT: id })
    const again = await mainStep(rotate({}, fixture), { workspace })
    expect(again.exitCode).toBe(0)
    expect(JSON.parse(again.outputs['replaced-ids'] ?? '')).toEqual([older.id])
    expect(fake.certificates.has(older.id)).toBe(false)
  })

  it('reads every Worker when the file binds the certificate but names no Worker (deployed with --name)', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    fake.deployWorker('deployed-by-name', { PAYMENTS_CERT: older.id })
    const unnamed = `main = "index.js"\n\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\ncertificate_id = "${older.id}"\n`
    const workspace = makeWorkspace({ 'wrangler.toml': unnamed })
    const run = await mainStep(rotate(), { workspace })
    expect(run.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(fake.requests.some((r) => r.path.endsWith(`/accounts/${ACCOUNT_ID}/workers/scripts`))).toBe(true)
    expect(warnings(run)).toEqual([expect.stringContaining('used by Worker deployed-by-name (PAYMENTS_CERT, 100 %)')])
  })

  it('through dist/, keeps every older certificate when the Workers cannot be read (403), with one warning', async () => {
    const older = [1, 2].map(() => fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK }))
    fake.workerReadsForbidden = true
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const fixture = makeClient('ec')
    const run = await runAction(rotate({}, fixture), { workspace })
    expect(run.exitCode).toBe(0)
    expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem])).toEqual([])
    for (const certificate of older) expect(fake.certificates.has(certificate.id)).toBe(true)
    expect(warnings(run)).toHaveLength(1)
    expect(warnings(run)[0]).toContain('so every older certificate is kept')
    expect(warnings(run)[0]).toContain('Account → Workers Scripts → Read')
    // Nothing is asked of an older certificate that is kept: no association read, no delete.
    expect(fake.requests.filter((r) => r.method === 'DELETE' || r.path.endsWith('/associations'))).toEqual([])
  })

  it('with check-workers: true, reads every Worker in the account once, without wrangler-config', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    const free = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    fake.deployWorker('alpha', {})
    fake.deployWorker('beta', { OTHER: OTHER })
    fake.deployWorker('gamma', { LEGACY_CERT: older.id })
    const run = await mainStep(
      clientInputs(fake, makeClient('ec'), { replace: 'true', 'replace-when': 'immediately', 'check-workers': 'true' }),
    )
    expect(run.exitCode).toBe(0)
    expect(workerCalls().filter((path) => path.endsWith('/workers/scripts'))).toHaveLength(1)
    expect(workerCalls().filter((path) => path.endsWith('/deployments'))).toHaveLength(3)
    expect(workerCalls().filter((path) => path.includes('/versions/'))).toHaveLength(3)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(JSON.parse(run.outputs['replaced-ids'] ?? '')).toEqual([free.id])
    expect(warnings(run).join('\n')).toContain('used by Worker gamma (LEGACY_CERT, 100 %)')
  })

  it("a dry run plans the retire after the deploy moves the files' own Worker, and keeps one another Worker binds", async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    const free = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    const elsewhere = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    fake.deployWorker('payments', { PAYMENTS_CERT: older.id })
    fake.deployWorker('reports', { REPORTS_CERT: elsewhere.id })
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const step = inputs(makeClient('ec'), { replace: 'true', 'dry-run': 'true', 'check-workers': 'true' })
    const run = await mainStep(step, { workspace })
    expect(run.exitCode).toBe(0)
    expect((JSON.parse(run.outputs['replace-candidates'] ?? '') as string[]).sort()).toEqual([free.id, older.id].sort())
    expect(run.summary).toContain('retired once the deploy moves Worker payments (PAYMENTS_CERT, 100 %)')
    expect(run.summary).toContain('used by Worker reports (REPORTS_CERT, 100 %)')
    const plan = JSON.parse(run.outputs.plan ?? '') as { action: string; id?: string; worker?: string }[]
    expect(
      plan
        .filter((row) => row.action === 'retire')
        .map((row) => row.id)
        .sort(),
    ).toEqual([free.id, older.id].sort())
    expect(plan.find((row) => row.action === 'keep')?.id).toBe(elsewhere.id)
    expect(plan.find((row) => row.action === 'deploy')).toMatchObject({ worker: 'payments', oldId: older.id })
    expect(fake.certificates.size).toBe(3)
  })

  it('through dist/, the post step reads the saved Workers once for the rotation and keeps the bound one', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    fake.deployWorker('payments', { PAYMENTS_CERT: older.id })
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const stepInputs = inputs(makeClient('ec'), { replace: 'true' })
    const main = await runAction(stepInputs, { workspace })
    expect(main.exitCode).toBe(0)
    expect(savedSteps(main.state)[0]?.data.guards).toEqual([
      {
        target: 'workers',
        saved: {
          scope: ['payments', 'payments-production', 'payments-stage'],
          consumers: { pages: false, hyperdrive: false, rollbackDeployments: 0 },
          moved: expect.arrayContaining(['payments\nPAYMENTS_CERT']) as unknown,
        },
      },
    ])
    expect(JSON.parse(main.outputs['replace-candidates'] ?? '')).toEqual([older.id])
    fake.requests.length = 0
    const post = await runPostStep(stepInputs, main, { workspace })
    expect(post.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(workerCalls().filter((path) => path.endsWith('/deployments'))).toHaveLength(3)
    expect(workerCalls().filter((path) => path.includes('/versions/'))).toHaveLength(1)
    expect(warnings(post).join('\n')).toContain('used by Worker payments (PAYMENTS_CERT, 100 %)')
    expect(post.summary).toContain('used by Worker payments (PAYMENTS_CERT, 100 %)')

    // Once the deploy has moved the Worker, the post step deletes it.
    fake.deployWorker('payments', { PAYMENTS_CERT: main.outputs['certificate-id'] ?? '' })
    const later = await postStep(stepInputs, main, { workspace })
    expect(later.exitCode).toBe(0)
    expect(fake.certificates.has(older.id)).toBe(false)
  })

  it('the post step deletes nothing when the saved Workers are not Worker names', async () => {
    const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: LAST_WEEK })
    const workspace = makeWorkspace({ 'wrangler.toml': TOML })
    const stepInputs = inputs(makeClient('ec'), { replace: 'true' })
    const main = await mainStep(stepInputs, { workspace })
    const [saved] = savedSteps(main.state)
    const guards = [{ target: 'workers', saved: { ...saved?.data.guards[0]?.saved, scope: ['../../zones'] } }]
    const tampered = {
      ...main,
      ...savedState({ [SAVED_STEPS]: retireSteps([saved?.data.rotation ?? {}], guards) }),
    }
    const post = await postStep(stepInputs, tampered, { workspace })
    expect(post.exitCode).toBe(0)
    expect(warnings(post).join('\n')).toContain('its Workers are not a list of Worker names')
    expect(fake.certificates.has(older.id)).toBe(true)
  })
})

describe('without wrangler-config', () => {
  it('the first upload of a leaf is still exactly one request', async () => {
    const run = await mainStep(clientInputs(fake, makeClient('ec')))
    expect(run.exitCode).toBe(0)
    expect(fake.requests).toHaveLength(1)
    expect(run.outputs['wrangler-configs']).toBe('[]')
    expect(run.summary).not.toContain('Wrangler')
  })
})
