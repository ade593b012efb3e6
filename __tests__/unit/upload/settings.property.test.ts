import { rmSync } from 'node:fs'
import { setSecret } from '@actions/core'
import fc from 'fast-check'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { parseAccountId, parseApiBaseUrl } from '../../../src/cloudflare/settings.ts'
import { parseBoolean, parseInteger, parsePositiveSeconds } from '../../../src/action/input-parsers.ts'
import { getSettings } from '../../../src/upload/settings.ts'
import { ACCOUNT_ID, API_KEY, API_TOKEN, PASSPHRASE, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { clientChain, keyPem } from '../../../test-kit/pki.ts'
import { actionYaml } from '../../../test-kit/run-action.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

/**
 * Properties of every input parser, for any strings at all: a result within the documented range, or
 * an InputError (never another exception), and no secret in its message.
 */

const registered = (): string[] => vi.mocked(setSecret).mock.calls.map(([value]) => value)
beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

/** What getSettings throws, or undefined; anything but an InputError fails the property. */
function inputErrorOf(run: () => unknown): InputError | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
}

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))

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

describe('the parse functions on any string', () => {
  it('parseAccountId gives 32 lower-case hex digits', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.stringMatching(/^[0-9a-fA-F]{32}$/)), (text) => {
        const error = inputErrorOf(() => {
          expect(parseAccountId(text)).toMatch(/^[0-9a-f]{32}$/)
        })
        if (error) expect(error.message).toMatch(/^Input 'account-id' /)
      }),
    )
  })

  it('parseBoolean gives a boolean only for the YAML 1.2 spellings, and the fallback for nothing', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString, fc.mixedCase(fc.constantFrom('true', 'false'))),
        fc.boolean(),
        (text, fallback) => {
          const error = inputErrorOf(() => {
            const result = parseBoolean('dry-run', text, fallback)
            expect(result).toBe(text === '' ? fallback : text.toLowerCase() === 'true')
          })
          if (error) expect(error.message).toMatch(/^Input 'dry-run' must be true or false/)
        },
      ),
    )
  })

  it('parseInteger gives a whole number within its range', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.integer().map(String)), fc.nat(20), (text, max) => {
        const error = inputErrorOf(() => {
          const result = parseInteger('max-retries', text, { fallback: 3, min: 0, max })
          if (text === '') expect(result).toBe(3)
          else expect(Number.isSafeInteger(result) && result >= 0 && result <= max).toBe(true)
        })
        if (error) expect(error.message).toMatch(/^Input 'max-retries' must be a whole number/)
      }),
    )
  })

  it('parsePositiveSeconds gives a number of seconds in (0, 3600]', () => {
    fc.assert(
      fc.property(fc.oneof(anyString, fc.double().map(String), fc.nat(5000).map(String)), (text) => {
        const error = inputErrorOf(() => {
          const result = parsePositiveSeconds('timeout-seconds', text, 60)
          expect(result > 0 && result <= 3600).toBe(true)
        })
        if (error) expect(error.message).toMatch(/^Input 'timeout-seconds' must be a number of seconds/)
      }),
    )
  })

  it('parseApiBaseUrl gives an https (or loopback http) root without trailing slash, query or fragment', () => {
    const url = fc.oneof(
      anyString,
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.webUrl().map((text) => text.replace(/^https?:\/\/[^/]*/, 'http://127.0.0.1:8787')),
    )
    fc.assert(
      fc.property(url, (text) => {
        const error = inputErrorOf(() => {
          const result = parseApiBaseUrl(text)
          const parsed = new URL(result)
          expect(['https:', 'http:']).toContain(parsed.protocol)
          if (parsed.protocol === 'http:') expect(parsed.hostname).toMatch(/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/)
          expect(result).not.toMatch(/\/$|[?#]/)
          expect(parseApiBaseUrl(result)).toBe(result)
        })
        if (error) expect(error.message).toMatch(/^Input 'api-base-url' /)
      }),
    )
  })
})
