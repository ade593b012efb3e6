import { X509Certificate, createPrivateKey, randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  errorAnswer,
  partialListingAnswer,
  successAnswer,
  type FakeCloudflare,
} from '../../test-kit/fake-cloudflare.ts'
import {
  ACCOUNT_ID,
  API_EMAIL,
  API_KEY,
  API_TOKEN,
  PASSPHRASE,
  clientInputs,
  makeClient,
  makeWorkspace,
  pemArmour,
  startFake,
  type ClientFixture,
} from '../../test-kit/fixtures.ts'
import { keyPem } from '../../test-kit/pki.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep } from '../support/steps.ts'
import { actionYaml, leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'

const DAY = 86_400_000
let fake: FakeCloudflare
let fixture: ClientFixture

useStandIn((started) => (fake = started))
beforeAll(() => {
  fixture = makeClient('ec')
})

interface UploadBody {
  ca: boolean
  certificates: string
  name?: string
  private_key?: string
}
const uploadBodies = (): UploadBody[] => fake.requestsTo('POST').map((r) => r.json as UploadBody)

function expectSuccess(run: ActionRun): void {
  expect(run.annotations.filter((a) => a.level === 'error')).toEqual([])
  expect(run.exitCode).toBe(0)
}

describe('a plain upload', () => {
  it('sends one request that matches the OpenAPI, and outputs the certificate', async () => {
    const workspace = makeWorkspace({ 'certs/client.pem': fixture.client.pem })
    const run = await runAction(
      clientInputs(fake, fixture, { certificate: '', 'certificate-path': 'certs/client.pem' }),
      { workspace },
    )
    expectSuccess(run)

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /client/v4/accounts/${ACCOUNT_ID}/mtls_certificates`,
    ])
    const request = fake.requests[0]
    expect(request?.headers.authorization).toBe(`Bearer ${API_TOKEN}`)
    expect(request?.headers['content-type']).toBe('application/json')
    const [body] = uploadBodies()
    expect(body?.ca).toBe(false)
    expect(body?.name).toBe('payments-client')
    expect(new X509Certificate(body?.certificates ?? '').fingerprint256).toBe(fixture.client.x509.fingerprint256)
    expect(body?.private_key?.startsWith(`${pemArmour('BEGIN', 'PRIVATE KEY')}\n`)).toBe(true)
    expect(createPrivateKey(body?.private_key ?? '').equals(fixture.client.key.privateKey)).toBe(true)

    const stored = [...fake.certificates.values()][0]
    expect(run.outputs).toEqual({
      'certificate-id': stored?.id,
      'expires-on': stored?.expires_on,
      issuer: stored?.issuer,
      'serial-number': stored?.serial_number,
      signature: stored?.signature,
      'uploaded-on': stored?.uploaded_on,
      name: 'payments-client',
      ca: 'false',
      'fingerprint-sha256': fixture.client.x509.fingerprint256,
      created: 'true',
      'replaced-ids': '[]',
      'replace-candidates': '[]',
      hostnames: '[]',
      'wrangler-configs': '[]',
      plan: JSON.stringify([{ name: 'payments-client', action: 'upload', id: stored?.id }]),
      changes: '1',
    })
    // Without replace, nothing is left for the post step.
    expect(run.state).toEqual({ isPost: 'true' })
    // Every output but the manifest's `certificates`, which a single-certificate step leaves unset.
    const manifestOutputs = new Set(['certificates'])
    expect(Object.keys(run.outputs).sort()).toEqual(
      Object.keys(actionYaml.outputs)
        .filter((name) => !manifestOutputs.has(name))
        .sort(),
    )
    expect(leakedSecrets(run, [API_TOKEN, fixture.keyPem, body?.private_key ?? ''])).toEqual([])
  })

  it('writes a job summary with the certificate and where it came from', async () => {
    const run = await runAction(clientInputs(fake, fixture))
    expectSuccess(run)
    const stored = [...fake.certificates.values()][0]
    expect(run.summary).toContain('Uploaded a new mTLS certificate')
    expect(run.summary).toContain(`<code>${stored?.id}</code>`)
    expect(run.summary).toMatch(/Expires on<\/th><td><code>[^<]+ \(90 days left\)/)
    expect(run.summary).toContain('https://github.com/acme/certificates/actions/runs/4242')
    expect(run.summary).toContain(
      'https://github.com/acme/certificates/commit/0123456789abcdef0123456789abcdef01234567',
    )
  })

  it('escapes user-controlled text in the summary', async () => {
    const run = await runAction(clientInputs(fake, fixture, { name: '<img src=x onerror=alert(1)> | pipe' }))
    expectSuccess(run)
    expect(run.summary).not.toContain('<img')
    expect(run.summary).toContain('&lt;img src=x onerror=alert(1)&gt; &#124; pipe')
  })

  it('uploads a CA certificate without a key', async () => {
    const run = await runAction(
      clientInputs(fake, fixture, { certificate: fixture.ca.pem, 'private-key': '', ca: 'true', name: 'root' }),
    )
    expectSuccess(run)
    expect(uploadBodies()).toEqual([{ ca: true, certificates: fixture.ca.pem.trim(), name: 'root' }])
    expect(run.outputs.ca).toBe('true')
  })

  it('authenticates with a global API key from the environment', async () => {
    const keyFake = await startFake({ email: API_EMAIL, key: API_KEY })
    try {
      const inputs = clientInputs(keyFake, fixture, { 'api-token': '', 'account-id': '' })
      const run = await runAction(inputs, {
        env: { CLOUDFLARE_EMAIL: API_EMAIL, CLOUDFLARE_API_KEY: API_KEY, CLOUDFLARE_ACCOUNT_ID: ACCOUNT_ID },
      })
      expectSuccess(run)
      expect(keyFake.requests[0]?.headers['x-auth-key']).toBe(API_KEY)
      expect(keyFake.requests[0]?.headers['x-auth-email']).toBe(API_EMAIL)
      expect(keyFake.specViolations).toEqual([])
      expect(leakedSecrets(run, [API_KEY, fixture.keyPem])).toEqual([])
    } finally {
      await keyFake.stop()
    }
  })
})

describe('what users really have', () => {
  it('accepts CRLF line endings, trailing spaces and a chain given CA first', async () => {
    const messy = (pem: string): string =>
      pem
        .trim()
        .split('\n')
        .map((line) => `${line}  `)
        .join('\r\n')
    const certificate = `${messy(fixture.ca.pem)}\r\n${messy(fixture.client.pem)}\r\n`
    const run = await mainStep(clientInputs(fake, fixture, { certificate, 'private-key': messy(fixture.keyPem) }))
    expectSuccess(run)
    const [body] = uploadBodies()
    expect(body?.certificates).toBe(`${fixture.client.pem.trim()}\n${fixture.ca.pem.trim()}`)
    expect(run.annotations).toContainEqual({
      level: 'notice',
      message: expect.stringContaining('was certificate 2 of 2'),
    })
  })

  it.each([
    ['RSA, PKCS#1', 'rsa', 'pkcs1'],
    ['EC, SEC1', 'ec', 'sec1'],
    ['Ed25519, PKCS#8', 'ed25519', 'pkcs8'],
  ] as const)('accepts a %s key and sends it as PKCS#8', async (_, kind, format) => {
    const own = makeClient(kind)
    const given = keyPem(own.client.key, format)
    const run = await mainStep(clientInputs(fake, own, { 'private-key': given }))
    expectSuccess(run)
    const [body] = uploadBodies()
    expect(body?.private_key?.startsWith(pemArmour('BEGIN', 'PRIVATE KEY'))).toBe(true)
    expect(createPrivateKey(body?.private_key ?? '').equals(own.client.key.privateKey)).toBe(true)
    expect(leakedSecrets(run, [given, body?.private_key ?? '', API_TOKEN])).toEqual([])
  })

  it.each(['pkcs8', 'pkcs1'] as const)('decrypts an encrypted %s key, and masks the decrypted form', async (format) => {
    const own = makeClient('rsa')
    const encrypted = keyPem(own.client.key, format, { passphrase: PASSPHRASE })
    const run = await mainStep(
      clientInputs(fake, own, { 'private-key': encrypted, 'private-key-passphrase': PASSPHRASE }),
    )
    expectSuccess(run)
    const [body] = uploadBodies()
    expect(body?.private_key).toBe(keyPem(own.client.key, 'pkcs8'))
    expect(leakedSecrets(run, [encrypted, PASSPHRASE, body?.private_key ?? '', API_TOKEN])).toEqual([])
    // The decrypted key is a derived secret: the runner must have been told to mask it.
    expect(run.masks).toContain(body?.private_key)
  })

  it('reads a UTF-16 certificate file, as Windows PowerShell 5 writes by default', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(fixture.client.pem.replace(/\n/g, '\r\n'), 'utf16le'),
    ])
    const workspace = makeWorkspace({ 'certs/client.pem': utf16 })
    const run = await mainStep(
      clientInputs(fake, fixture, { certificate: '', 'certificate-path': 'certs/client.pem' }),
      {
        workspace,
      },
    )
    expectSuccess(run)
    expect(uploadBodies()[0]?.certificates).toBe(fixture.client.pem.trim())
  })

  it('reads the key from private-key-path and masks it', async () => {
    const workspace = makeWorkspace({ 'certs/client.pem': fixture.client.pem, 'secrets/client.key': fixture.keyPem })
    const run = await mainStep(
      clientInputs(fake, fixture, {
        certificate: '',
        'certificate-path': 'certs/client.pem',
        'private-key': '',
        'private-key-path': 'secrets/client.key',
      }),
      { workspace },
    )
    expectSuccess(run)
    expect(leakedSecrets(run, [fixture.keyPem])).toEqual([])
  })
})

describe('expiry', () => {
  it('warns when the certificate expires within expiry-warning-days', async () => {
    const soon = makeClient('ec', { notAfter: new Date(Date.now() + 10 * DAY - 3_600_000) })
    const run = await mainStep(clientInputs(fake, soon, { 'expiry-warning-days': '30' }))
    expectSuccess(run)
    expect(run.annotations).toContainEqual({
      level: 'warning',
      message: expect.stringMatching(/expires in 10 days .*expiry-warning-days \(30\)/),
    })
  })

  it('does not warn with expiry-warning-days 0', async () => {
    const soon = makeClient('ec', { notAfter: new Date(Date.now() + 10 * DAY) })
    const run = await mainStep(clientInputs(fake, soon, { 'expiry-warning-days': '0' }))
    expectSuccess(run)
    expect(run.annotations.filter((a) => a.level === 'warning')).toEqual([])
  })
})

describe('odd answers', () => {
  it('an upload answer whose issuer is not text does not fail the step after the certificate is in', async () => {
    const id = randomUUID()
    fake.inject({
      method: 'POST',
      fault: successAnswer({ id, name: 'payments', issuer: 12345, uploaded_on: new Date().toISOString(), ca: false }),
    })
    const run = await mainStep(clientInputs(fake, fixture))
    expectSuccess(run)
    expect(run.outputs['certificate-id']).toBe(id)
  })

  it('goes on with a listing that says it is partial, saying so: it only means fewer deletes', async () => {
    const old = fake.seed(makeClient('ec').client.pem, { name: 'payments', uploadedOn: '2025-11-01T00:00:00Z' })
    const { private_key: _key, ...listed } = fake.certificates.get(old.id) as unknown as Record<string, unknown>
    fake.inject({
      method: 'GET',
      pathSuffix: '/mtls_certificates',
      fault: partialListingAnswer([listed], { total_count: 60, total_pages: 2 }),
    })
    const run = await mainStep(
      clientInputs(fake, fixture, { name: 'payments', replace: 'true', 'replace-when': 'immediately' }),
    )
    expectSuccess(run)
    expect(run.log).toContain(
      'Cloudflare listed 1 certificate of 60 (page 1 of 2): the listing is partial; older certificates not listed are left as they are.',
    )
  })
})

describe('API failures', () => {
  it('reports the HTTP status and every [code] message of the envelope', async () => {
    fake.inject({
      method: 'POST',
      fault: errorAnswer(400, [
        { code: 1412, message: 'Invalid certificate' },
        { code: 1002, message: 'Bad chain' },
      ]),
    })
    const run = await mainStep(clientInputs(fake, fixture))
    expect(run.exitCode).toBe(1)
    const errors = run.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]?.message).toContain('HTTP 400: [1412] Invalid certificate; [1002] Bad chain')
    expect(fake.requests).toHaveLength(1)
  })

  it('explains a rejected token, and does not retry it', async () => {
    const run = await mainStep(clientInputs(fake, fixture, { 'api-token': 'wrong-token-value-123' }))
    expect(run.exitCode).toBe(1)
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /HTTP 403: \[10000\] Authentication error\. Cloudflare answers so both when it does not accept the API token/,
    )
    expect(fake.requests).toHaveLength(1)
    expect(leakedSecrets(run, ['wrong-token-value-123', fixture.keyPem])).toEqual([])
  })

  it('names a wrong account id', async () => {
    const run = await mainStep(clientInputs(fake, fixture, { 'account-id': 'f'.repeat(32) }))
    expect(run.exitCode).toBe(1)
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(/\[7003\].*Check account-id/)
  })

  it('masks the key when the API echoes the request back in its error', async () => {
    const own = makeClient('rsa')
    const given = keyPem(own.client.key, 'pkcs1')
    const sent = keyPem(own.client.key, 'pkcs8')
    fake.inject({
      method: 'POST',
      fault: errorAnswer(400, [
        { code: 1400, message: `Invalid request: ${JSON.stringify({ private_key: sent })}` },
        { code: 1401, message: `key: ${sent}` },
      ]),
    })
    const run = await mainStep(clientInputs(fake, own, { 'private-key': given }))
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('[1400] Invalid request')
    expect(leakedSecrets(run, [given, sent, API_TOKEN])).toEqual([])
  })

  it('says clearly when the answer is an HTML page, not JSON', async () => {
    fake.inject({
      method: 'POST',
      fault: {
        kind: 'respond',
        status: 403,
        headers: { 'content-type': 'text/html' },
        body: '<html><head><title>Attention Required! | Cloudflare</title></head><body>blocked</body></html>',
      },
    })
    const run = await mainStep(clientInputs(fake, fixture))
    expect(run.exitCode).toBe(1)
    const message = run.annotations.find((a) => a.level === 'error')?.message
    expect(message).toContain(
      'HTTP 403 with an HTML page titled "Attention Required! | Cloudflare" instead of Cloudflare\'s JSON answer',
    )
    expect(message).not.toMatch(/Unexpected token|SyntaxError/)
  })
})
