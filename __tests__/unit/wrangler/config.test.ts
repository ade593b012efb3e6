import { symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { InputError } from '../../../src/core/errors.ts'
import { loadBindings } from '../../../src/wrangler/config.ts'
import { workerNames } from '../../../src/wrangler/workers.ts'
import { makeWorkspace } from '../../../test-kit/fixtures.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

function loadError(files: Record<string, string>, config: string, binding = 'PAYMENTS_CERT'): string {
  const workspace = makeWorkspace(files)
  try {
    loadBindings(workspace, [{ config, binding }])
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('loadBindings accepted the file')
}

describe('loadBindings', () => {
  it('finds the entries with the binding at the top level and in each environment', () => {
    const workspace = makeWorkspace({
      'wrangler.toml':
        'name = "a"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n[[env.staging.mtls_certificates]]\nbinding = "OTHER"\n[[env.production.mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
    })
    const [loaded] = loadBindings(workspace, [{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }])
    expect(loaded?.entries.map((entry) => entry.path)).toEqual([
      ['mtls_certificates', 0],
      ['env', 'production', 'mtls_certificates', 0],
    ])
  })

  it('refuses a file without the binding, naming the file, the binding and the bindings it has', () => {
    const message = loadError(
      {
        'wrangler.jsonc':
          '{ "mtls_certificates": [{ "binding": "OTHER_CERT" }], "env": { "production": { "mtls_certificates": [{ "binding": "LEGACY" }] } } }',
      },
      'wrangler.jsonc',
    )
    expect(message).toBe(
      `Input 'wrangler-config': 'wrangler.jsonc' has no mtls_certificates entry with binding = "PAYMENTS_CERT", at the top level or in any env.<name>: it has OTHER_CERT (top level), LEGACY (env.production). Check binding:, or add the entry to the file (mtls_certificates is not inherited by environments).`,
    )
    expect(loadError({ 'wrangler.toml': 'name = "a"\n' }, 'wrangler.toml')).toMatch(
      /it has no mtls_certificates bindings/,
    )
  })

  it.each([
    [
      'wrangler.toml',
      'name = "a"\n[[mtls_certificates]]\nbinding = = "X"\n',
      /'wrangler.toml' cannot be parsed, line 3, column \d+: /,
    ],
    [
      'wrangler.jsonc',
      '{\n  "name": "a",\n  "mtls_certificates": [\n}\n',
      /'wrangler.jsonc' cannot be parsed, line 4, column 1: value expected/,
    ],
    [
      'wrangler.json',
      '{\n  "name": "a"\n  "main": "x"\n}',
      /'wrangler.json' cannot be parsed, line 3, column 3: comma expected/,
    ],
  ])('refuses an unparsable %s with the line and column', (name, text, message) => {
    expect(loadError({ [name]: text }, name)).toMatch(message)
  })

  it('reads a file that starts with a UTF-8 byte order mark, as wrangler 4 does, and refuses UTF-16', () => {
    const files = {
      'wrangler.toml': '\uFEFF[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
      'wrangler.json': '\uFEFF{ "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }',
      'wrangler.jsonc': '\uFEFF// payments\n{ "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }',
    }
    const workspace = makeWorkspace(files)
    for (const config of Object.keys(files)) {
      const [loaded] = loadBindings(workspace, [{ config, binding: 'PAYMENTS_CERT' }])
      expect(loaded).toMatchObject({ bom: true, encoding: 'utf8' })
      expect(loaded?.text.startsWith('\uFEFF')).toBe(false)
      expect(loaded?.entries).toHaveLength(1)
    }
    const utf16 = makeWorkspace()
    writeFileSync(join(utf16, 'wrangler.toml'), Buffer.from('\uFEFFname = "a"\n', 'utf16le'))
    expect(() => loadBindings(utf16, [{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }])).toThrow(
      /^Input 'wrangler-config': 'wrangler.toml' is saved as UTF-16 or UTF-32, which wrangler does not read: save it as UTF-8\.$/,
    )
  })

  it('refuses a key written twice on the way to a binding, with the line and the fix, as wrangler reads the last', () => {
    const id = (n: number) => `"certificate_id": "${String(n).repeat(8)}-1111-4111-8111-111111111111"`
    expect(
      loadError(
        {
          'wrangler.json': `{\n  "mtls_certificates": [\n    { "binding": "PAYMENTS_CERT", ${id(1)},\n      ${id(2)} }\n  ]\n}\n`,
        },
        'wrangler.json',
      ),
    ).toBe(
      `Input 'wrangler-config': 'wrangler.json' line 4: "certificate_id" is written twice (also on line 3) in mtls_certificates[0], and wrangler reads only the last one: remove the one that is out of date, so that the file says one thing.`,
    )
    expect(
      loadError(
        {
          'wrangler.jsonc':
            '{\n  "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }],\n  // old\n  "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }],\n}\n',
        },
        'wrangler.jsonc',
      ),
    ).toMatch(
      /^Input 'wrangler-config': 'wrangler.jsonc' line 4: "mtls_certificates" is written twice \(also on line 2\) in the top level/,
    )
    expect(
      loadError(
        {
          'wrangler.json':
            '{ "env": { "production": { "mtls_certificates": [] }, "production": { "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] } } }',
        },
        'wrangler.json',
      ),
    ).toMatch(/line 1: "production" is written twice \(also on line 1\) in env,/)
    // A key written twice elsewhere changes nothing the action edits: wrangler's business.
    const workspace = makeWorkspace({
      'wrangler.json':
        '{ "name": "a", "name": "b", "vars": { "X": 1, "X": 2 }, "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }',
    })
    expect(loadBindings(workspace, [{ config: 'wrangler.json', binding: 'PAYMENTS_CERT' }])).toHaveLength(1)
  })

  it('refuses a file that is not there, or a directory', () => {
    expect(loadError({}, 'wrangler.toml')).toMatch(/^Input 'wrangler-config': file 'wrangler.toml' does not exist/)
    expect(loadError({ 'app.toml/x': '' }, 'app.toml')).toMatch(/is not a regular file/)
  })

  it('refuses a link out of the workspace at load time too', () => {
    const outside = makeWorkspace({ 'wrangler.toml': '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n' })
    const workspace = makeWorkspace()
    symlinkSync(join(outside, 'wrangler.toml'), join(workspace, 'wrangler.toml'))
    expect(() => loadBindings(workspace, [{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }])).toThrow(
      /symbolic link/,
    )
  })
})

describe('workerNames', () => {
  it('names the top-level Worker and each environment by its own name or <name>-<env>', () => {
    const workspace = makeWorkspace({
      'wrangler.toml':
        'name = "payments"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n[env.staging]\n[env.production]\nname = "payments-live"\n',
      'api/wrangler.jsonc':
        '{ "name": "api", "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }], "env": { "dev": {} } }',
    })
    const loaded = loadBindings(workspace, [
      { config: 'wrangler.toml', binding: 'PAYMENTS_CERT' },
      { config: 'api/wrangler.jsonc', binding: 'PAYMENTS_CERT' },
    ])
    expect(workerNames(loaded)).toEqual(['payments', 'payments-staging', 'payments-live', 'api', 'api-dev'])
  })
})
