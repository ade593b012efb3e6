import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { issuedEarlier } from '../../test-kit/fixtures.ts'
import { leakedSecrets, runAction } from '../../test-kit/run-action.ts'
import { MANIFEST_PATH, manifestInputs, manifestRepository } from '../support/manifest-workspace.ts'
import { mainStep } from '../support/steps.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { API_TOKEN } from '../../test-kit/fixtures.ts'

/**
 * Hyperdrive, a target added as one folder and one registry line: the configs a manifest entry names
 * are moved to its certificate once it is in place, before any older one is retired (make before
 * break), planned and drift-checked like the rest; a config whose test connection Hyperdrive refuses
 * fails the entry and leaves everything as it was.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

const CONFIG = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'

const manifest = `version: 1
certificates:
  - name: payments-client
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY
    replace: true
    hyperdrive:
      - config: ${CONFIG}
`

function setup() {
  const repo = manifestRepository(manifest)
  const older = fake.seed(issuedEarlier(), { name: 'payments-client', uploadedOn: '2025-01-01T00:00:00Z' })
  fake.estate.hyperdriveConfigs.set(CONFIG, { name: 'orders-db', mtls: { mtls_certificate_id: older.id } })
  const env = { workspace: repo.workspace, env: repo.env }
  return { repo, older, env }
}

const calls = () => fake.requests.map((r) => `${r.method} ${r.path.replace(/^.*\/accounts\/[^/]+/, '')}`)
const rows = (plan: string | undefined) =>
  JSON.parse(plan ?? '[]') as { action: string; consumer?: string; id?: string; reason?: string }[]

describe('Hyperdrive configs moved to the new certificate, through dist/', () => {
  it('plans the move and the retire after it, then moves the config before the older certificate is deleted', async () => {
    const { repo, older, env } = setup()
    const planned = await runAction(manifestInputs(fake, { 'dry-run': 'true', 'replace-when': 'immediately' }), env)
    expect(planned.exitCode).toBe(0)
    const plan = rows(planned.outputs.plan)
    expect(plan.find((row) => row.action === 'attach')).toMatchObject({ consumer: 'Hyperdrive orders-db (client)' })
    expect(plan.find((row) => row.action === 'retire')).toMatchObject({ id: older.id })
    expect(fake.estate.hyperdriveConfigs.get(CONFIG)?.mtls?.mtls_certificate_id).toBe(older.id)

    fake.requests.length = 0
    const run = await runAction(
      manifestInputs(fake, { 'replace-when': 'immediately', 'check-consumers': 'hyperdrive' }),
      env,
    )
    expect(run.exitCode).toBe(0)
    const id = (JSON.parse(run.outputs.certificates ?? '{}') as Record<string, { id: string }>)['payments-client']?.id
    expect(fake.estate.hyperdriveConfigs.get(CONFIG)?.mtls?.mtls_certificate_id).toBe(id)
    expect(fake.certificates.has(older.id)).toBe(false)
    const order = calls()
    expect(order.indexOf(`PATCH /hyperdrive/configs/${CONFIG}`)).toBeGreaterThan(
      order.indexOf('POST /mtls_certificates'),
    )
    expect(order.indexOf(`PATCH /hyperdrive/configs/${CONFIG}`)).toBeLessThan(
      order.indexOf(`DELETE /mtls_certificates/${older.id}`),
    )
    expect(run.summary).toContain('Hyperdrive orders-db (client)')
    expect(leakedSecrets(run, [API_TOKEN, repo.payments.keyPem])).toEqual([])

    // The next drift check: the config uses the manifest's certificate, nothing to change.
    const drift = await mainStep(manifestInputs(fake, { 'dry-run': 'true', 'fail-on-changes': 'true' }), env)
    expect(drift.exitCode).toBe(0)
  })

  it('refuses, before any request, a client certificate without its key and a config that is not an id', async () => {
    const repo = manifestRepository(
      manifest
        .replace('    private-key-env: PAYMENTS_KEY\n', '    allow-missing-key: true\n')
        .replace(CONFIG, 'orders-db'),
    )
    const run = await mainStep(manifestInputs(fake), { workspace: repo.workspace, env: repo.env })
    expect(run.exitCode).toBe(1)
    const errors = run.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n')
    expect(errors).toContain("certificates[0].hyperdrive: needs the certificate's private key")
    expect(errors).toContain("certificates[0].hyperdrive[0]: 'orders-db' is not a Hyperdrive config id")
    expect(fake.requests).toEqual([])
  })

  it("fails the entry with Hyperdrive's message when its test connection refuses, and leaves everything in place", async () => {
    const { older, env } = setup()
    fake.estate.failingConnections.add(CONFIG)
    const run = await mainStep(manifestInputs(fake, { 'replace-when': 'immediately' }), env)
    expect(run.exitCode).toBe(1)
    const errors = run.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n')
    expect(errors).toContain('Failed to connect to the database')
    expect(errors).toContain('sets it on the Hyperdrive configs')
    expect(fake.estate.hyperdriveConfigs.get(CONFIG)?.mtls?.mtls_certificate_id).toBe(older.id)
    expect(fake.certificates.has(older.id)).toBe(true)
    expect(MANIFEST_PATH).toBe('deploy/certificates.yml')
  })
})
