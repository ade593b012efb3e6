import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, makeClient, startFake, type ClientFixture } from '../../test-kit/fixtures.ts'
import { issueCertificate } from '../../test-kit/pki.ts'
import { ROOT, leakForms } from '../../test-kit/run-action.ts'

/**
 * `npm run local-action` as the README describes it: GitHub's @github/local-action runs src/main.ts
 * with .env.example adapted to the stand-in (its account id and token, its address, the certificate and
 * key files). The npm script reads .env in the repository root, which a developer may be using, so
 * this runs the same command with a .env file of its own. local-action exits 0 even when the action
 * fails, so what counts is what the stand-in received and what the action printed.
 */

const LOCAL_ACTION = join(ROOT, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js')

let fake: FakeCloudflare
let fixture: ClientFixture
let dir: string

beforeAll(async () => {
  fake = await startFake()
  fixture = makeClient('ec')
  dir = mkdtempSync(join(tmpdir(), 'local-action-'))
})
afterAll(async () => {
  await fake.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** .env.example with the given variables' values replaced; each must be set (not commented out) there. */
function adaptEnvExample(values: Record<string, string>): string {
  let text = readFileSync(join(ROOT, '.env.example'), 'utf8')
  for (const [name, value] of Object.entries(values)) {
    const line = new RegExp(`^${name}=.*$`, 'm')
    expect(text, `.env.example sets ${name}`).toMatch(line)
    text = text.replace(line, `${name}=${value}`)
  }
  return text
}

/** .env.example pointed at the stand-in, with `values` besides, written as `name` in the test folder. */
function writeEnvFile(name: string, summaryFile: string, values: Record<string, string> = {}): string {
  const envFile = join(dir, name)
  const stand = { 'INPUT_ACCOUNT-ID': ACCOUNT_ID, 'INPUT_API-TOKEN': API_TOKEN, 'INPUT_API-BASE-URL': fake.url }
  writeFileSync(envFile, adaptEnvExample({ ...stand, ...values, GITHUB_STEP_SUMMARY: summaryFile }))
  return envFile
}

/** A clean environment: nothing from a runner or a developer's shell that the action would read. */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(INPUT_|CLOUDFLARE_|GITHUB_|RUNNER_|ACTIONS_)|_proxy$/i.test(name),
    ),
  )
  return { ...env, PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` }
}

/** `action` and `entry` as the npm script gives them: the upload action by default, `audit ../src/audit/step.ts` for the audit. */
function runLocalAction(
  envFile: string,
  action = ['.', 'src/main.ts'],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [LOCAL_ACTION, ...action, envFile], {
    cwd: ROOT,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000)
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, output })
    }),
  )
}

describe('npm run local-action', () => {
  it('is the command this test runs', () => {
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(packageJson.scripts['local-action']).toBe('local-action . src/main.ts .env')
    expect(packageJson.scripts['local-action:audit']).toBe('local-action audit ../src/audit/step.ts .env')
  })

  it('uploads to the stand-in with .env.example adapted', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'client.pem'), fixture.client.pem)
    writeFileSync(join(dir, 'client.key'), fixture.keyPem, { mode: 0o600 })
    const summary = join(dir, 'summary.md')
    const envFile = writeEnvFile('.env', summary, {
      'INPUT_CERTIFICATE-PATH': join(dir, 'client.pem'),
      'INPUT_PRIVATE-KEY-PATH': join(dir, 'client.key'),
    })

    const { code, output } = await runLocalAction(envFile)

    expect(output).not.toMatch(/^::error::/m)
    expect(code).toBe(0)
    const uploads = fake.requestsTo('POST', '/mtls_certificates')
    expect(uploads).toHaveLength(1)
    const body = uploads[0]?.json as { name?: string; ca?: boolean; private_key?: string }
    expect(body).toMatchObject({ name: 'local-action-test', ca: false })
    expect(body.private_key).toBeTruthy()
    const [stored] = [...fake.certificates.values()]
    expect(output).toContain(`::set-output name=certificate-id::${stored?.id ?? '(none)'}`)
    expect(output).toContain('::set-output name=created::true')
    expect(readFileSync(summary, 'utf8')).toContain('Uploaded a new mTLS certificate to Cloudflare')
    expect(leakForms(fixture.keyPem).filter((form) => output.includes(form))).toEqual([])
    expect(fake.specViolations).toEqual([])
  })

  it('audits the stand-in with npm run local-action:audit and the same .env', { timeout: 120_000 }, async () => {
    const expiring = issueCertificate({
      commonName: 'soon',
      key: fixture.client.key,
      issuer: fixture.ca,
      notAfter: new Date(Date.now() + 5 * 86_400_000),
    })
    const seeded = fake.seed(expiring.pem, { name: 'local-audit-soon' })
    const summary = join(dir, 'audit-summary.md')
    const envFile = writeEnvFile('.env.audit', summary)

    const { output } = await runLocalAction(envFile, ['audit', '../src/audit/step.ts'])

    // Five days left is within fail-days (7): the audit fails, with the certificate named.
    expect(output).toMatch(
      new RegExp(`^::error::Certificate 'local-audit-soon' \\(leaf, id ${seeded.id}\\) expires in 5 days`, 'm'),
    )
    expect(output).toContain('::set-output name=expiring-count::1')
    expect(readFileSync(summary, 'utf8')).toContain('mTLS certificate audit: 1 expiring, 0 expired')
    expect(fake.requests.filter((r) => r.method !== 'GET').map((r) => r.path)).toEqual([
      expect.stringMatching(/\/mtls_certificates$/),
    ])
    expect(output).not.toContain(API_TOKEN)
    expect(fake.specViolations).toEqual([])
  })
})
