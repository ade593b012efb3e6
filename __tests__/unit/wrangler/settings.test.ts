import { rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { InputError } from '../../../src/core/errors.ts'
import { getWranglerTargets } from '../../../src/wrangler/settings.ts'
import { makeWorkspace } from '../../../test-kit/fixtures.ts'
import { inputSource } from '../fakes.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

/** wrangler-config and binding: the Wrangler files that deploy with a client certificate, checked before any request. */

const workspace = makeWorkspace({
  'wrangler.toml': '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
  'apps/api/wrangler.jsonc': '{ "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }',
})
const outside = makeWorkspace({ 'wrangler.toml': '' })
afterAll(() => {
  for (const path of [workspace, outside]) rmSync(path, { recursive: true, force: true })
})

/** That they are only for a client certificate with its key is a rule of certificate/rules.ts (its tests). */
const targets = (inputs: Record<string, string>) => getWranglerTargets(inputSource(inputs), workspace)

/** The InputError getWranglerTargets throws; fails the test if it returns or throws something else. */
function inputError(inputs: Record<string, string>): InputError {
  try {
    targets(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('getWranglerTargets accepted the inputs')
}

describe('getWranglerTargets', () => {
  it('refuses one file listed twice through a symbolic link or a/../: compared by its real path', () => {
    const root = makeWorkspace({ 'apps/api/wrangler.toml': '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n' })
    symlinkSync('apps/api/wrangler.toml', join(root, 'wrangler.toml'))
    for (const second of ['wrangler.toml', 'apps/x/../api/wrangler.toml']) {
      expect(() =>
        getWranglerTargets(
          inputSource({ 'wrangler-config': `apps/api/wrangler.toml\n${second}`, binding: 'PAYMENTS_CERT' }),
          root,
        ),
      ).toThrow(
        `Input 'wrangler-config' lists 'apps/api/wrangler.toml' and '${second}', which are the same file (through a symbolic link or ..): list it once.`,
      )
    }
    rmSync(root, { recursive: true, force: true })
  })

  it('reads one target per path, each once, with the binding', () => {
    expect(
      targets({
        'wrangler-config': 'wrangler.toml\n  apps/api/wrangler.jsonc \n\nwrangler.toml',
        binding: 'PAYMENTS_CERT',
      }),
    ).toEqual([
      { config: 'wrangler.toml', binding: 'PAYMENTS_CERT' },
      { config: 'apps/api/wrangler.jsonc', binding: 'PAYMENTS_CERT' },
    ])
  })

  it('gives nothing when neither is given', () => {
    expect(targets({})).toBeUndefined()
  })

  it.each([
    [{ 'wrangler-config': 'wrangler.toml' }, /^Input 'wrangler-config' needs 'binding'/],
    [{ binding: 'PAYMENTS_CERT' }, /^Input 'binding' needs 'wrangler-config'/],
    [
      { 'wrangler-config': 'wrangler.toml', binding: 'PAYMENTS-CERT' },
      /^Input 'binding': 'PAYMENTS-CERT' is not a binding name/,
    ],
    [{ 'wrangler-config': 'wrangler.yaml', binding: 'X' }, /is not a Wrangler configuration file/],
    [
      { 'wrangler-config': '/etc/wrangler.toml', binding: 'X' },
      /^Input 'wrangler-config': '\/etc\/wrangler.toml' is an absolute path/,
    ],
    [{ 'wrangler-config': '../other/wrangler.toml', binding: 'X' }, /leads out of the workspace/],
    [
      { 'wrangler-config': Array.from({ length: 21 }, (_, n) => `w${n}.toml`).join('\n'), binding: 'X' },
      /^Input 'wrangler-config' lists 21 files: give at most 20\.$/,
    ],
  ])('refuses %j', (inputs, message) => {
    expect(inputError(inputs).message).toMatch(message)
  })

  it('checks each file before anything is sent: it exists and has the binding', () => {
    expect(inputError({ binding: 'PAYMENTS_CERT', 'wrangler-config': 'missing.toml' }).message).toMatch(
      /does not exist/,
    )
    expect(inputError({ binding: 'OTHER', 'wrangler-config': 'wrangler.toml' }).message).toMatch(
      /has no mtls_certificates entry with binding = "OTHER".*it has PAYMENTS_CERT \(top level\)/,
    )
  })

  it('refuses a symbolic link that leads out of the workspace', () => {
    symlinkSync(join(outside, 'wrangler.toml'), join(workspace, 'linked.toml'))
    symlinkSync(outside, join(workspace, 'linked-dir'))
    expect(inputError({ binding: 'X', 'wrangler-config': 'linked.toml' }).message).toMatch(
      /is or passes through a symbolic link that leads out of the workspace/,
    )
    expect(inputError({ binding: 'X', 'wrangler-config': 'linked-dir/wrangler.toml' }).message).toMatch(
      /leads out of the workspace/,
    )
  })
})
