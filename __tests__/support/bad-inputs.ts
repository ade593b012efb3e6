import { expect } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  API_TOKEN,
  PASSPHRASE,
  clientInputs,
  makeClient,
  makeWorkspace,
  type ClientFixture,
} from '../../test-kit/fixtures.ts'
import { keyPem } from '../../test-kit/pki.ts'
import { leakedSecrets, type ActionRun, type RunOptions } from '../../test-kit/run-action.ts'

/**
 * Bad inputs, each with the error it must give: the step fails before any request, with exit code 1 and
 * one error annotation that names the input and the fix, no stack trace, and no secret in anything the
 * user can see. The unit table (__tests__/inprocess/bad-input.test.ts) runs every case in-process; the
 * end-to-end file runs a few through dist/.
 */

const DAY = 86_400_000
/** Two client certificates of different keys, made once for the table. */
export const good: ClientFixture = makeClient('ec')
export const other: ClientFixture = makeClient('ec')

export interface BadCase {
  name: string
  inputs: () => Record<string, string>
  files?: () => Record<string, string | Buffer>
  error: RegExp
  /** Secrets this case puts somewhere unusual, which must not leak either. */
  secrets?: () => string[]
}

const corrupt = (pem: string): string => {
  const lines = pem.trim().split('\n')
  lines[1] = `!!!!${'A'.repeat(12)}${(lines[1] ?? '').slice(16)}`
  return lines.join('\n')
}
const withPath = (path: string): Record<string, string> => ({ certificate: '', 'certificate-path': path })

export const badCases: BadCase[] = [
  {
    name: 'a missing account id',
    inputs: () => ({ 'account-id': '' }),
    error: /Input 'account-id' is required.*CLOUDFLARE_ACCOUNT_ID/,
  },
  {
    name: 'a malformed account id',
    inputs: () => ({ 'account-id': 'my-account' }),
    error: /Input 'account-id' must be 32 hexadecimal characters.*10 characters and some are not hex digits/,
  },
  {
    name: 'no certificate input',
    inputs: () => ({ certificate: '' }),
    error: /No certificate given: set certificate-path/,
  },
  {
    name: 'both certificate inputs',
    inputs: () => ({ 'certificate-path': 'certs/client.pem' }),
    error: /Inputs 'certificate' and 'certificate-path' are both set/,
  },
  {
    name: 'a path that does not exist',
    inputs: () => withPath('certs/missing.pem'),
    error: /Input 'certificate-path': file 'certs\/missing.pem' does not exist .*actions\/checkout/,
  },
  {
    name: 'a path that is a directory',
    inputs: () => withPath('certs'),
    files: () => ({ 'certs/readme.txt': 'x' }),
    error: /Input 'certificate-path': 'certs' is a directory/,
  },
  {
    name: 'an empty PEM file',
    inputs: () => withPath('certs/client.pem'),
    files: () => ({ 'certs/client.pem': '\n\n' }),
    error: /Certificate-path 'certs\/client.pem' is empty/,
  },
  {
    name: 'garbage instead of PEM',
    inputs: () => ({ certificate: 'hello, this is not a certificate' }),
    error: /Input 'certificate' holds no PEM certificate: expected text between -----BEGIN CERTIFICATE-----/,
  },
  {
    name: 'a binary (DER) file',
    inputs: () => withPath('certs/client.der'),
    files: () => ({ 'certs/client.der': good.client.der }),
    error: /holds no PEM certificate \(it looks binary: a DER file\?/,
  },
  {
    name: 'a truncated PEM',
    inputs: () => ({ certificate: good.client.pem.slice(0, 300) }),
    error: /Input 'certificate' is cut off: a -----BEGIN CERTIFICATE----- line has no matching/,
  },
  {
    name: 'a corrupted certificate body',
    inputs: () => ({ certificate: corrupt(good.client.pem) }),
    error: /the certificate is not a valid X.509 certificate/,
  },
  {
    name: 'a public key instead of a certificate',
    inputs: () => ({ certificate: good.client.key.publicKey.export({ type: 'spki', format: 'pem' }).toString() }),
    error: /holds a public key, not a certificate/,
  },
  {
    name: 'a private key instead of a certificate',
    inputs: () => ({ certificate: good.keyPem }),
    error: /Input 'certificate' holds a private key as well as the certificate.*private-key: \$\{\{ secrets/,
    secrets: () => [good.keyPem],
  },
  {
    name: 'a file with the certificate and its key together',
    inputs: () => withPath('certs/bundle.pem'),
    files: () => ({ 'certs/bundle.pem': `${good.client.pem}${keyPem(good.client.key, 'sec1')}` }),
    error: /Certificate-path 'certs\/bundle.pem' holds a private key as well as the certificate/,
    secrets: () => [keyPem(good.client.key, 'sec1')],
  },
  {
    name: 'megabytes of noise',
    inputs: () => withPath('certs/noise.pem'),
    files: () => ({ 'certs/noise.pem': Buffer.alloc(5 * 1024 * 1024, 'noise ') }),
    error: /Input 'certificate-path': 'certs\/noise.pem' is larger than 256 KiB/,
  },
  {
    name: 'a key that does not match the leaf',
    inputs: () => ({ 'private-key': other.keyPem }),
    error:
      /The private key \(input 'private-key'\) does not belong to the certificate in input 'certificate' \(CN=test-client\).* After a renewal with a new key, the secret may still hold the previous key: update the secret too\./,
    secrets: () => [other.keyPem],
  },
  {
    name: 'an expired leaf',
    inputs: () => {
      const old = makeClient('ec', {
        notBefore: new Date(Date.now() - 400 * DAY),
        notAfter: new Date(Date.now() - DAY),
      })
      return { certificate: old.client.pem, 'private-key': old.keyPem }
    },
    error: /The certificate in input 'certificate' \(CN=test-client\) expired on \d{4}-\d\d-\d\dT.*Renew/,
  },
  {
    name: 'a leaf that is not valid yet',
    inputs: () => {
      const future = makeClient('ec', {
        notBefore: new Date(Date.now() + 2 * DAY),
        notAfter: new Date(Date.now() + 90 * DAY),
      })
      return { certificate: future.client.pem, 'private-key': future.keyPem }
    },
    error: /is not valid until .*clock/,
  },
  {
    name: 'ca: true with a key',
    inputs: () => ({ ca: 'true' }),
    error: /Input 'private-key' is set with ca: true: a CA certificate is uploaded without its private key/,
  },
  {
    name: 'ca: true for a leaf certificate',
    inputs: () => ({ ca: 'true', 'private-key': '' }),
    error: /ca is true, but the certificate in input 'certificate' \(CN=test-client\) is not a CA certificate/,
  },
  {
    name: 'ca: false for a CA certificate without a key',
    inputs: () => ({ certificate: good.ca.pem, 'private-key': '', 'allow-missing-key': 'true' }),
    error:
      /ca is false, but input 'certificate' holds a CA certificate \(CN=Test Root CA\) and no private key is given. Set ca: true/,
  },
  {
    name: 'ca: false without a key (an unset secret)',
    inputs: () => ({ 'private-key': '' }),
    error:
      /^Input 'private-key' is empty or not set, and ca: false uploads a client certificate, which is used with its key.*allow-missing-key: true\.$/,
  },
  {
    name: 'a passphrase without a key',
    inputs: () => ({ 'private-key': '', 'allow-missing-key': 'true', 'private-key-passphrase': PASSPHRASE }),
    error: /^Input 'private-key-passphrase' is set but no private key is: set private-key or private-key-path/,
    secrets: () => [PASSPHRASE],
  },
  {
    name: 'ca missing',
    inputs: () => ({ ca: '' }),
    error: /Input 'ca' is required, and is empty: set ca: true for a CA certificate/,
  },
  {
    name: 'ca not a boolean',
    inputs: () => ({ ca: 'yes' }),
    error: /Input 'ca' must be true or false \(YAML 1.2 booleans/,
  },
  {
    name: 'an encrypted key without a passphrase',
    inputs: () => ({ 'private-key': keyPem(good.client.key, 'pkcs8', { passphrase: PASSPHRASE }) }),
    error: /Input 'private-key' is encrypted: set private-key-passphrase/,
    secrets: () => [keyPem(good.client.key, 'pkcs8', { passphrase: PASSPHRASE })],
  },
  {
    name: 'an encrypted key with the wrong passphrase',
    inputs: () => ({
      'private-key': keyPem(good.client.key, 'sec1', { passphrase: PASSPHRASE }),
      'private-key-passphrase': 'not the passphrase',
    }),
    error: /Input 'private-key' could not be decrypted with private-key-passphrase: the passphrase is wrong/,
    secrets: () => ['not the passphrase'],
  },
  {
    name: 'a garbage key',
    inputs: () => ({ 'private-key': 'my key is hunter2hunter2' }),
    error: /Input 'private-key' is not a PEM private key/,
    secrets: () => ['my key is hunter2hunter2'],
  },
  {
    name: 'a corrupted key body',
    inputs: () => ({ 'private-key': corrupt(good.keyPem) }),
    error: /Input 'private-key' is not a valid private key: its base64 body is corrupted/,
    secrets: () => [corrupt(good.keyPem)],
  },
  {
    name: 'a certificate given as the key',
    inputs: () => ({ 'private-key': good.client.pem }),
    error: /Input 'private-key' holds a certificate, not a private key/,
  },
  {
    name: 'both key inputs',
    inputs: () => ({ 'private-key-path': 'secrets/client.key' }),
    error: /Input 'private-key-path' is set with private-key: give the key once/,
  },
  {
    // The runner passes an input it was given even when empty, as a misspelled secret leaves it.
    name: 'an api-token whose secret is empty',
    inputs: () => ({ 'api-token': '' }),
    error: /Input 'api-token' is set but empty: the secret it reads is probably not set, or its name is misspelled/,
  },
  {
    name: 'an email without a global key',
    inputs: () => ({ 'api-token': '', 'api-email': 'ops@example.com' }),
    error: /Input 'api-email' is set without input 'api-key'/,
  },
  {
    name: 'a global key without an email',
    inputs: () => ({ 'api-token': '', 'api-key': 'c2547eb745079dac9320b638f5e225cf483cc' }),
    error: /Input 'api-key' is set without input 'api-email'/,
    secrets: () => ['c2547eb745079dac9320b638f5e225cf483cc'],
  },
  {
    // wrangler reads the last: the step refuses it before the upload, not after it.
    name: 'a Wrangler file with certificate_id written twice',
    inputs: () => ({ 'wrangler-config': 'wrangler.json', binding: 'PAYMENTS_CERT' }),
    files: () => ({
      'wrangler.json': `{\n  "mtls_certificates": [{\n    "binding": "PAYMENTS_CERT",\n    "certificate_id": "11111111-1111-4111-8111-111111111111",\n    "certificate_id": "22222222-2222-4222-8222-222222222222"\n  }]\n}\n`,
    }),
    error:
      /^Input 'wrangler-config': 'wrangler.json' line 5: "certificate_id" is written twice \(also on line 4\) in mtls_certificates\[0\], and wrangler reads only the last one: remove the one that is out of date/,
  },
  {
    name: 'both auth methods',
    inputs: () => ({ 'api-email': 'ops@example.com', 'api-key': 'c2547eb745079dac9320b638f5e225cf483cc' }),
    error: /Both an API token \(input 'api-token'\) and a global API key \(input 'api-key'\) are set/,
    secrets: () => ['c2547eb745079dac9320b638f5e225cf483cc'],
  },
  {
    name: 'a token with a line break',
    inputs: () => ({ 'api-token': `${API_TOKEN}\nextra-line-here` }),
    error: /Input 'api-token' contains spaces, line breaks/,
  },
  {
    name: 'an http URL to a remote host',
    inputs: () => ({ 'api-base-url': 'http://api.cloudflare.com/client/v4' }),
    error: /Input 'api-base-url' must use https.*api.cloudflare.com/,
  },
  {
    name: 'a URL that does not parse',
    inputs: () => ({ 'api-base-url': 'api.cloudflare.com/client/v4' }),
    error: /Input 'api-base-url' is not a valid URL/,
  },
  {
    name: 'a bad number of days',
    inputs: () => ({ 'expiry-warning-days': 'thirty' }),
    error: /Input 'expiry-warning-days' must be a whole number from 0 to 36500, got 'thirty'/,
  },
  {
    name: 'a negative retry count',
    inputs: () => ({ 'max-retries': '-1' }),
    error: /Input 'max-retries' must be a whole number from 0 to 10/,
  },
  {
    name: 'a zero timeout',
    inputs: () => ({ 'timeout-seconds': '0' }),
    error: /Input 'timeout-seconds' must be a number of seconds greater than 0/,
  },
  {
    name: 'replace without a name',
    inputs: () => ({ replace: 'true', name: '' }),
    error: /Input 'replace' needs name: replace deletes the older certificates/,
  },
  {
    name: 'a Wrangler file without the binding',
    inputs: () => ({ 'wrangler-config': 'wrangler.jsonc', binding: 'PAYMENTS_CERT' }),
    files: () => ({
      'wrangler.jsonc': '{\n  // the Worker\n  "mtls_certificates": [{ "binding": "OTHER_CERT" },],\n}\n',
    }),
    error:
      /'wrangler.jsonc' has no mtls_certificates entry with binding = "PAYMENTS_CERT".*it has OTHER_CERT \(top level\)/,
  },
  {
    name: 'an unparsable Wrangler file',
    inputs: () => ({ 'wrangler-config': 'wrangler.toml', binding: 'PAYMENTS_CERT' }),
    files: () => ({ 'wrangler.toml': 'name = "payments"\n[[mtls_certificates]\nbinding = "PAYMENTS_CERT"\n' }),
    error: /'wrangler.toml' cannot be parsed, line 2, column \d+/,
  },
  {
    name: 'a Wrangler file outside the workspace',
    inputs: () => ({ 'wrangler-config': '../wrangler.toml', binding: 'PAYMENTS_CERT' }),
    error: /Input 'wrangler-config': '..\/wrangler.toml' leads out of the workspace/,
  },
]

/** Runs one case with `start` (in-process or through dist/) and checks that it was refused as it should be. */
export async function expectRefused(
  fake: FakeCloudflare,
  badCase: BadCase,
  start: (inputs: Record<string, string>, options: RunOptions) => Promise<ActionRun>,
): Promise<void> {
  const workspace = makeWorkspace({ 'secrets/client.key': good.keyPem, ...badCase.files?.() })
  const inputs = { ...clientInputs(fake, good), ...badCase.inputs() }
  const run = await start(inputs, { workspace })

  expect(run.exitCode).toBe(1)
  const errors = run.annotations.filter((a) => a.level === 'error')
  expect(errors).toHaveLength(1)
  expect(errors[0]?.message).toMatch(badCase.error)
  expect(run.log).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(run.outputs).toEqual({})
  const secrets = [
    API_TOKEN,
    good.keyPem,
    PASSPHRASE,
    inputs['private-key'] ?? '',
    ...(badCase.secrets?.() ?? []),
  ].filter(Boolean)
  expect(leakedSecrets(run, secrets)).toEqual([])
  expect(fake.requests).toEqual([])
}
