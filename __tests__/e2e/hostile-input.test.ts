import { execFileSync } from 'node:child_process'
import { createPrivateKey } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  API_TOKEN,
  PASSPHRASE,
  clientInputs,
  makeClient,
  makeWorkspace,
  pemArmour,
  type ClientFixture,
} from '../../test-kit/fixtures.ts'
import { legacyEncryptedKey, type LegacyEncryption } from '../../test-kit/openssl.ts'
import { keyPem, type KeyKind } from '../../test-kit/pki.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { mainStep } from '../support/steps.ts'
import { leakedSecrets, runAction, type ActionRun } from '../../test-kit/run-action.ts'
import { run as runSource } from '../../src/main.ts'
import { runInProcess } from '../support/run-in-process.ts'

/**
 * What new users and attackers really hand the action: files that are not files, keys with odd
 * encryption, indentation or escaped line breaks, passphrases with spaces, chains with repeats or in
 * PKCS#12, a leaf without its key. Runs go through dist/ with debug logging on; no secret, in any form
 * the action makes of it, may reach the log, an output or the summary. The chain and missing-key cases
 * of the main step run the action's source in this process, to spare a process start each.
 */

let fake: FakeCloudflare
let good: ClientFixture
let fixture: ClientFixture
const NAME = 'payments-client'
const LAST_YEAR = '2025-11-01T00:00:00Z'

useStandIn((started) => (fake = started))
beforeAll(() => {
  good = makeClient('ec')
})

/** The private_key of the one upload, checked to be the fixture's key. */
function expectUploadedKey(run: ActionRun, fixture: ClientFixture): string {
  expect(run.annotations.filter((a) => a.level === 'error')).toEqual([])
  expect(run.exitCode).toBe(0)
  const sent = (fake.requestsTo('POST')[0]?.json as { private_key?: string } | undefined)?.private_key ?? ''
  expect(createPrivateKey(sent).equals(fixture.client.key.privateKey)).toBe(true)
  return sent
}

function expectFailure(run: ActionRun, error: RegExp): void {
  expect(run.exitCode).toBe(1)
  const errors = run.annotations.filter((a) => a.level === 'error')
  expect(errors).toHaveLength(1)
  expect(errors[0]?.message).toMatch(error)
  expect(run.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(fake.requests).toEqual([])
}

const pathInputs = (extra: Record<string, string>): Record<string, string> =>
  clientInputs(fake, good, { certificate: '', 'certificate-path': 'certs/client.pem', ...extra })

const annotations = (run: ActionRun, level: 'error' | 'warning' | 'notice'): string[] =>
  run.annotations.filter((a) => a.level === level).map((a) => a.message)
const errorOf = (run: ActionRun): string => annotations(run, 'error')[0] ?? ''
/** Issued two hours ago, before any fixture (an hour ago): never taken for a newer certificate. */
const olderPem = (): string => makeClient('ec', { notBefore: new Date(Date.now() - 2 * 3_600_000) }).client.pem
const older = (fields: Parameters<FakeCloudflare['seed']>[1] = {}) =>
  fake.seed(olderPem(), { name: NAME, uploadedOn: LAST_YEAR, ...fields })

/** The main step run from source in this process. */
async function run(extra: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionRun> {
  const done = await runInProcess(runSource, clientInputs(fake, fixture, { name: NAME, ...extra }), { env })
  expect(leakedSecrets(done, [API_TOKEN, fixture.keyPem])).toEqual([])
  return done
}

describe.skipIf(process.platform === 'win32')('files that are not regular files', () => {
  /** A named pipe with no writer: opening it for reading waits forever. */
  function workspaceWithFifo(path: string): string {
    const workspace = makeWorkspace({ 'certs/client.pem': good.client.pem, 'secrets/client.key': good.keyPem })
    execFileSync('mkfifo', [join(workspace, path)])
    return workspace
  }

  it.each([
    ['certificate-path', 'certs/pipe.pem', { 'certificate-path': 'certs/pipe.pem' }],
    ['private-key-path', 'secrets/pipe.key', { 'private-key': '', 'private-key-path': 'secrets/pipe.key' }],
  ])('fails fast when %s names a FIFO', async (input, path, extra) => {
    const run = await runAction(pathInputs(extra), { workspace: workspaceWithFifo(path), killAfterMs: 15_000 })
    expect(run.durationMs).toBeLessThan(10_000)
    expectFailure(
      run,
      new RegExp(
        `^Input '${input}': '${path}' is a named pipe \\(FIFO\\), not a regular file\\. Give the path of the PEM file`,
      ),
    )
    expect(leakedSecrets(run, [API_TOKEN, good.keyPem])).toEqual([])
  })

  it('reads a certificate and a key through symbolic links to regular files', async () => {
    const workspace = makeWorkspace({ 'real/client.pem': good.client.pem, 'real/client.key': good.keyPem })
    mkdirSync(join(workspace, 'certs'))
    mkdirSync(join(workspace, 'secrets'))
    symlinkSync('../real/client.pem', join(workspace, 'certs/client.pem'))
    symlinkSync(join(workspace, 'real/client.key'), join(workspace, 'secrets/client.key'))
    const run = await runAction(pathInputs({ 'private-key': '', 'private-key-path': 'secrets/client.key' }), {
      workspace,
    })
    const sent = expectUploadedKey(run, good)
    expect(leakedSecrets(run, [API_TOKEN, good.keyPem, sent])).toEqual([])
  })

  it('says a symbolic link loop is one, rather than that the file does not exist', async () => {
    const workspace = makeWorkspace({ 'certs/readme.txt': 'x' })
    symlinkSync('b.pem', join(workspace, 'certs/a.pem'))
    symlinkSync('a.pem', join(workspace, 'certs/b.pem'))
    const run = await runAction(pathInputs({ 'certificate-path': 'certs/a.pem' }), { workspace })
    expectFailure(run, /^Input 'certificate-path': 'certs\/a\.pem' is a symbolic link loop/)
    expect(leakedSecrets(run, [API_TOKEN, good.keyPem])).toEqual([])
  })

  it('names the missing target of a dangling symbolic link', async () => {
    const workspace = makeWorkspace({ 'certs/readme.txt': 'x' })
    symlinkSync('gone.pem', join(workspace, 'certs/client.pem'))
    const run = await runAction(pathInputs({}), { workspace })
    expectFailure(
      run,
      /^Input 'certificate-path': 'certs\/client\.pem' is a symbolic link to 'gone\.pem', which does not exist/,
    )
    expect(leakedSecrets(run, [API_TOKEN, good.keyPem])).toEqual([])
  })
})

describe('passphrases are taken as given', () => {
  it('decrypts a key whose passphrase has leading and trailing spaces', async () => {
    const spaced = `  ${PASSPHRASE}  `
    const encrypted = keyPem(good.client.key, 'pkcs8', { passphrase: spaced })
    const run = await mainStep(clientInputs(fake, good, { 'private-key': encrypted, 'private-key-passphrase': spaced }))
    const sent = expectUploadedKey(run, good)
    expect(run.masks).toEqual(expect.arrayContaining([spaced, PASSPHRASE]))
    expect(leakedSecrets(run, [API_TOKEN, encrypted, spaced, sent])).toEqual([])
  })

  it('still decrypts with the trimmed passphrase, as a secret stored with a final line break needs', async () => {
    const encrypted = keyPem(good.client.key, 'sec1', { passphrase: PASSPHRASE })
    const run = await mainStep(
      clientInputs(fake, good, { 'private-key': encrypted, 'private-key-passphrase': `${PASSPHRASE}\n` }),
    )
    const sent = expectUploadedKey(run, good)
    expect(leakedSecrets(run, [API_TOKEN, encrypted, PASSPHRASE, sent])).toEqual([])
  })
})

describe('keys with legacy encryption', () => {
  const cases: [LegacyEncryption, KeyKind, RegExp][] = [
    ['PKCS#8 PBE-MD5-DES', 'ec', /encrypted with a legacy PKCS#8 scheme \(such as PBE-MD5-DES\)/],
    ['traditional DES-CBC', 'rsa', /encrypted with DES-CBC/],
    ['traditional DES-CBC', 'ec', /encrypted with DES-CBC/],
  ]
  it.for(cases)(
    'says %s encryption (%s key) is unsupported and how to re-encrypt',
    async ([encryption, kind, scheme], { skip }) => {
      const own = makeClient(kind)
      const legacy = legacyEncryptedKey(own.client.key, encryption, PASSPHRASE)
      if (legacy === undefined) return skip('no openssl command with the legacy provider')
      const run = await mainStep(
        clientInputs(fake, own, { 'private-key': legacy, 'private-key-passphrase': PASSPHRASE }),
      )
      expectFailure(
        run,
        /^Input 'private-key' is encrypted with .*, which OpenSSL 3 no longer supports: it cannot be decrypted here, whatever the passphrase\. Re-encrypt it with AES: openssl pkey .*-aes256/,
      )
      expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(scheme)
      expect(run.log).not.toMatch(/passphrase is wrong/)
      expect(leakedSecrets(run, [API_TOKEN, legacy, PASSPHRASE, own.keyPem])).toEqual([])
    },
  )
})

describe('keys and certificates in the forms they arrive in', () => {
  const indent = (pem: string): string => pem.replace(/^(?=.)/gm, '    ')
  const escapedLineBreaks = (pem: string): string => pem.replace(/\n/g, String.raw`\n`)

  it('accepts an indented certificate and key, as YAML block scalars pasted with extra indent have them', async () => {
    const key = indent(good.keyPem)
    const run = await mainStep(clientInputs(fake, good, { certificate: indent(good.client.pem), 'private-key': key }))
    const sent = expectUploadedKey(run, good)
    expect(fake.requestsTo('POST')[0]?.json).toMatchObject({ certificates: good.client.pem.trim() })
    // The de-indented key is a form the action makes: registered before anything is logged.
    expect(run.masks).toContain(good.keyPem.trim())
    expect(leakedSecrets(run, [API_TOKEN, key, good.keyPem, sent])).toEqual([])
  })

  it('accepts a key and a certificate whose line breaks are the two characters \\n', async () => {
    const key = escapedLineBreaks(good.keyPem)
    expect(key).not.toContain('\n')
    const run = await mainStep(
      clientInputs(fake, good, { certificate: escapedLineBreaks(good.client.pem), 'private-key': key }),
    )
    const sent = expectUploadedKey(run, good)
    expect(run.masks).toEqual(expect.arrayContaining([key, good.keyPem.trim()]))
    expect(leakedSecrets(run, [API_TOKEN, key, good.keyPem, sent])).toEqual([])
  })

  it('reads a key file whose line breaks are the two characters \\n, as a .env file has it', async () => {
    const key = `"${escapedLineBreaks(good.keyPem)}"`
    const workspace = makeWorkspace({ 'secrets/client.key': key })
    const run = await mainStep(
      clientInputs(fake, good, { 'private-key': '', 'private-key-path': 'secrets/client.key' }),
      {
        workspace,
      },
    )
    const sent = expectUploadedKey(run, good)
    expect(run.masks).toContain(good.keyPem.trim())
    expect(leakedSecrets(run, [API_TOKEN, key, good.keyPem, sent])).toEqual([])
  })

  it('masks every form of an escaped key that does not belong to the certificate', async () => {
    const other = makeClient('ec')
    const key = escapedLineBreaks(other.keyPem)
    const run = await mainStep(clientInputs(fake, good, { 'private-key': key }))
    expectFailure(run, /^The private key \(input 'private-key'\) does not belong to the certificate/)
    expect(run.masks).toContain(other.keyPem.trim())
    expect(leakedSecrets(run, [API_TOKEN, key, other.keyPem])).toEqual([])
  })

  it('masks every form of an indented encrypted key given the wrong passphrase', async () => {
    const encrypted = keyPem(good.client.key, 'sec1', { passphrase: PASSPHRASE })
    const key = indent(encrypted)
    const run = await mainStep(
      clientInputs(fake, good, { 'private-key': key, 'private-key-passphrase': 'not the passphrase' }),
    )
    expectFailure(run, /^Input 'private-key' could not be decrypted with private-key-passphrase/)
    expect(run.masks).toContain(encrypted.trim())
    expect(leakedSecrets(run, [API_TOKEN, key, encrypted, 'not the passphrase'])).toEqual([])
  })

  it('still says a key is cut off when its END line is missing', async () => {
    const cut = escapedLineBreaks(good.keyPem).split(pemArmour('END', 'PRIVATE KEY'))[0] ?? ''
    const run = await mainStep(clientInputs(fake, good, { 'private-key': cut }))
    expectFailure(run, /^Input 'private-key' is cut off/)
    expect(leakedSecrets(run, [API_TOKEN, cut, good.keyPem])).toEqual([])
  })
})

describe('chain files', () => {
  it('drops a repeated certificate, with a notice', async () => {
    fixture = makeClient('ec')
    const done = await run({ certificate: `${fixture.client.pem}${fixture.client.pem}${fixture.ca.pem}` })
    expect(done.exitCode).toBe(0)
    const sent = (fake.requestsTo('POST')[0]?.json as { certificates: string }).certificates
    expect(sent.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(annotations(done, 'notice')).toEqual([expect.stringMatching(/repeat/i)])
  })

  describe('PKCS#12 files', () => {
    let p12: Buffer | undefined
    beforeAll(() => {
      fixture = makeClient('ec')
      const dir = mkdtempSync(join(tmpdir(), 'mtls-p12-'))
      writeFileSync(join(dir, 'cert.pem'), fixture.client.pem)
      writeFileSync(join(dir, 'key.pem'), fixture.keyPem)
      try {
        execFileSync(
          'openssl',
          ['pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-passout', 'pass:x', '-out', 'c.p12'],
          {
            cwd: dir,
            stdio: 'ignore',
          },
        )
        p12 = readFileSync(join(dir, 'c.p12'))
      } catch {
        p12 = undefined
      }
    })
    afterAll(() => undefined)

    it.each([
      ['certificate-path', 'client.p12'],
      ['certificate-path', 'bundle.bin'],
      ['private-key-path', 'client.pfx'],
    ])('is named in %s (%s), with the openssl pkcs12 commands', async (input, file) => {
      if (!p12) return
      const workspace = makeWorkspace({ [file]: p12, 'client.pem': fixture.client.pem })
      const inputs =
        input === 'certificate-path'
          ? { certificate: '', 'certificate-path': file }
          : { 'private-key': '', 'private-key-path': file }
      const done = await runAction(clientInputs(fake, fixture, { name: NAME, ...inputs }), { workspace })
      expect(done.exitCode).toBe(1)
      expect(errorOf(done).toLowerCase()).toMatch(new RegExp(`^${input} '${file}'`))
      expect(errorOf(done)).toMatch(/PKCS#12/)
      expect(errorOf(done)).toMatch(/openssl pkcs12 .*-nokeys/)
      expect(errorOf(done)).not.toMatch(/DER file|-inform der/)
      expect(fake.requests).toEqual([])
    })
  })
})

describe('a leaf certificate without its key', () => {
  it.each([
    ['is refused by default, naming the likely causes, before any request', {}],
    ['is refused with replace, so that no older certificate with its key is deleted', { replace: 'true' }],
  ])('%s', async (_, extra) => {
    fixture = makeClient('ec')
    older()
    const done = await run({ 'private-key': '', ...extra })
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toMatch(/^Input 'private-key' is empty/)
    expect(errorOf(done)).toMatch(/not set|misspelled/)
    expect(errorOf(done)).toMatch(/fork/)
    expect(errorOf(done)).toMatch(/allow-missing-key: true/)
    expect(fake.requests).toEqual([])
  })

  it('is uploaded without its key when the workflow says so', async () => {
    fixture = makeClient('ec')
    const done = await run({ 'private-key': '', 'allow-missing-key': 'true' })
    expect(done.exitCode).toBe(0)
    expect(fake.requestsTo('POST')[0]?.json).not.toHaveProperty('private_key')
  })

  it('refuses allow-missing-key that is not a boolean', async () => {
    fixture = makeClient('ec')
    const done = await run({ 'private-key': '', 'allow-missing-key': 'yes' })
    expect(done.exitCode).toBe(1)
    expect(errorOf(done)).toMatch(/^Input 'allow-missing-key' must be true or false/)
  })
})
