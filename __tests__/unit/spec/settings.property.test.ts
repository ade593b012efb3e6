import { rmSync } from 'node:fs'
import { setSecret } from '@actions/core'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { getSettings } from '../../../src/spec/settings.ts'
import { ACCOUNT_ID, API_KEY, API_TOKEN, PASSPHRASE, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { clientChain, keyPem } from '../../../test-kit/pki.ts'
import { actionYaml } from '../../../test-kit/run-action.ts'
import { anyString, inputErrorOf } from '../properties.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

/**
 * getSettings on any inputs and environment at all: settings, or an InputError (never another
 * exception), every secret registered first, and none in the message. Each parser's own properties
 * live beside it: action/input-parsers.property.test.ts, cloudflare/settings.property.test.ts.
 */

const registered = (): string[] => vi.mocked(setSecret).mock.calls.map(([value]) => value)
beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

describe('getSettings on any inputs and environment', () => {
  const { client } = clientChain('ec')
  const key = keyPem(client.key, 'pkcs8')
  const workspace = makeWorkspace({ 'certs/client.pem': client.pem, 'secrets/client.key': key })
  afterAll(() => {
    rmSync(workspace, { recursive: true, force: true })
  })

  const SECRET_INPUTS = ['api-token', 'api-key', 'private-key-passphrase', 'private-key']
  const SECRET_ENV = ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY']

  /** Arbitrary text, and values that pass each check, so that the later checks are reached too. */
  const value = fc.oneof(
    anyString,
    fc.constantFrom('', 'true', 'false', 'TRUE', ACCOUNT_ID, '3', '0.5', 'certs/client.pem', 'secrets/client.key'),
    fc.constantFrom('https://api.cloudflare.com/client/v4', 'http://127.0.0.1:8787/', 'ops@example.com', client.pem),
  )
  /** Secrets are drawn apart, so that none equals text a message quotes by design (a default URL, say). */
  const secretValue = fc.oneof(
    anyString,
    fc.constantFrom('', key, API_TOKEN, API_KEY, ` ${PASSPHRASE} `, `${PASSPHRASE}\n`),
  )
  const inputNames = Object.keys(actionYaml.inputs)
  /** A valid run's inputs, so that arbitrary values of a few inputs reach the checks after the first ones. */
  const valid = { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, certificate: client.pem, ca: 'false' }
  const inputs = fc
    .tuple(
      fc.boolean(),
      fc.dictionary(fc.constantFrom(...inputNames.filter((name) => !SECRET_INPUTS.includes(name))), value, {
        maxKeys: 4,
      }),
      fc.dictionary(fc.constantFrom(...SECRET_INPUTS), secretValue, { maxKeys: 2 }),
    )
    .map(([fromValid, plain, secrets]): Record<string, string> => ({
      ...(fromValid ? valid : {}),
      ...plain,
      ...secrets,
    }))
  const env = fc
    .tuple(
      fc.dictionary(
        fc.constantFrom('CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_EMAIL', 'HTTPS_PROXY', 'http_proxy'),
        fc.oneof(value, fc.constantFrom('http://user:pa%40ss-w0rd@proxy:3128')),
      ),
      fc.dictionary(fc.constantFrom(...SECRET_ENV), secretValue),
    )
    .map(([plain, secrets]) => ({ ...plain, ...secrets }))

  it('gives settings or an InputError, registers every secret first, and never names one', () => {
    fc.assert(
      fc.property(inputs, env, (given, environment) => {
        vi.mocked(setSecret).mockClear()
        const source = {
          input: (name: string) => given[name] ?? '',
          env: { ...environment, GITHUB_WORKSPACE: workspace },
        }
        const error = inputErrorOf(() => getSettings(source))

        const secrets = [...SECRET_INPUTS.map((name) => given[name]), ...SECRET_ENV.map((name) => environment[name])]
        // A message may quote a value that is not a secret (ca: got '…'), even one equal to a secret.
        const quotable = [
          ...Object.entries(given).filter(([name]) => !SECRET_INPUTS.includes(name)),
          ...Object.entries(environment).filter(([name]) => !SECRET_ENV.includes(name)),
        ].map(([, text]) => text)
        for (const secret of secrets) {
          if (!secret?.trim()) continue
          expect(registered()).toContain(secret)
          const trimmed = secret.trim()
          // Short values could appear in a message by chance; a real secret is longer.
          if (!error || trimmed.length < 8 || quotable.some((text) => text.includes(trimmed))) continue
          expect(error.message).not.toContain(trimmed)
        }
      }),
      { numRuns: 500 },
    )
  })
})
