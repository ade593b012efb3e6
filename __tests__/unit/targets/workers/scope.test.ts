import { describe, expect, it, beforeAll } from 'vitest'
import { loadBindings } from '../../../../src/wrangler/config.ts'
import { InputError } from '../../../../src/core/errors.ts'
import { workerScope } from '../../../../src/targets/workers/scope.ts'
import { makeWorkspace } from '../../../../test-kit/fixtures.ts'
import { loadWranglerParsers } from '../../../../src/wrangler/parsers.ts'

beforeAll(loadWranglerParsers)

const OLD = '11111111-1111-4111-8111-111111111111'
const binding = `[[mtls_certificates]]\nbinding = "CERT"\ncertificate_id = "${OLD}"\n`

describe('workerScope', () => {
  it('is the Workers the files deploy, each environment its own name', () => {
    const workspace = makeWorkspace({
      'a/wrangler.toml': `name = "payments"\n${binding}\n[env.staging]\nname = "payments-test"\nmtls_certificates = [{ binding = "CERT", certificate_id = "${OLD}" }]\n`,
    })
    const { scope, unnamed } = workerScope(loadBindings(workspace, [{ config: 'a/wrangler.toml', binding: 'CERT' }]))
    expect(unnamed).toEqual([])
    expect([...(scope as string[])].sort()).toEqual(['payments', 'payments-test'])
  })

  it('is every Worker when a section binding the certificate names none (fail closed), saying which', () => {
    const workspace = makeWorkspace({ 'wrangler.toml': binding })
    const { scope, unnamed } = workerScope(loadBindings(workspace, [{ config: 'wrangler.toml', binding: 'CERT' }]))
    expect(scope).toBe('every')
    expect(unnamed).toHaveLength(1)
    expect(unnamed[0]).toContain('wrangler.toml')
  })
})

describe('workerScope with a name that is no Worker name', () => {
  it.each([
    ['payments eu', `name = "payments eu"\n${binding}`],
    ['', `name = ""\n${binding}`],
    [
      'payments-eu.west',
      `name = "payments"\n${binding}\n[env."eu.west"]\nmtls_certificates = [{ binding = "CERT", certificate_id = "${OLD}" }]\n`,
    ],
  ])("refuses '%s' as bad input naming the file: the retire's guard could not be read back", (name, text) => {
    const workspace = makeWorkspace({ 'w/wrangler.toml': text })
    const loaded = loadBindings(workspace, [{ config: 'w/wrangler.toml', binding: 'CERT' }])
    expect(() => workerScope(loaded)).toThrow(InputError)
    expect(() => workerScope(loaded)).toThrow(
      `Wrangler file 'w/wrangler.toml' deploys a Worker named '${name}', which is not a Worker name`,
    )
  })
})
