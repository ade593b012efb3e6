import { beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { loadBindings } from '../../../src/wrangler/config.ts'
import { unnamedSections, workerNames } from '../../../src/wrangler/workers.ts'
import { makeWorkspace } from '../../../test-kit/fixtures.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

/** Which Workers the Wrangler files deploy: replace reads what those serve before it deletes. */

describe('workerNames and unnamedSections', () => {
  it('names each section by its own name or <name>-<env>, and lists the sections that name no Worker', () => {
    const workspace = makeWorkspace({
      'wrangler.toml': 'name = "payments"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n[env.production]\n',
      'nameless/wrangler.toml': 'main = "index.js"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
    })
    const named = loadBindings(workspace, [{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }])
    expect(workerNames(named)).toEqual(['payments', 'payments-production'])
    expect(unnamedSections(named)).toEqual([])
    const nameless = loadBindings(workspace, [{ config: 'nameless/wrangler.toml', binding: 'PAYMENTS_CERT' }])
    expect(workerNames(nameless)).toEqual([])
    expect(unnamedSections(nameless)).toEqual(["'nameless/wrangler.toml' (top level)"])
  })
})
