import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse as parseJsonc } from 'jsonc-parser'
import { parse as parseToml } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import { fencedBlocks, userDocuments } from './documents.ts'
import { dryRunBindings } from '../support/wrangler-cli.ts'

/**
 * Every Wrangler file the README and docs/ show (```jsonc and ```toml blocks) is accepted by wrangler
 * as committed: `wrangler deploy --dry-run --outdir` (offline, nothing outside a temporary directory)
 * builds each Worker it deploys, the top level and each `env.<name>`, and reports every mTLS binding
 * with its id. Each block starts with a comment naming its path, as the recipes use it.
 */

/** The id the examples commit before the action first writes one: wrangler needs a string certificate_id. */
const PLACEHOLDER = '00000000-0000-0000-0000-000000000000'

interface Example {
  where: string
  path: string
  text: string
  config: { main?: unknown; env?: Record<string, unknown>; mtls_certificates?: unknown }
}

const examples: Example[] = userDocuments().flatMap((document) =>
  (['jsonc', 'toml'] as const).flatMap((language) =>
    fencedBlocks(document, language).map(({ where, text }) => {
      const path = /^(?:\/\/|#) (\S+\.(?:jsonc|toml))$/m.exec(text.split('\n')[0] ?? '')?.[1] ?? ''
      const config = (language === 'toml' ? parseToml(text) : parseJsonc(text)) as Example['config']
      return { where, path, text, config }
    }),
  ),
)

/** binding → certificate_id of one section's mtls_certificates, as the example writes them. */
const bindingsOf = (section: unknown): Record<string, string> =>
  Object.fromEntries(
    ((section as { mtls_certificates?: { binding: string; certificate_id: string }[] }).mtls_certificates ?? []).map(
      (entry) => [entry.binding, entry.certificate_id],
    ),
  )

describe('the Wrangler files of the README and docs/', () => {
  it('are there: the JSONC and the TOML file the recipes use', () => {
    expect(examples.map((example) => example.path).sort()).toEqual(
      expect.arrayContaining(['workers/billing/wrangler.toml', 'workers/payments/wrangler.jsonc']),
    )
  })

  describe.each(examples)('$where ($path)', ({ path, text, config }) => {
    it('names its path in its first line, and binds the placeholder id in every section', () => {
      expect(path).not.toBe('')
      const sections = [config, ...Object.values(config.env ?? {})]
      for (const section of sections) {
        const ids = Object.values(bindingsOf(section))
        expect(ids.length).toBeGreaterThan(0)
        for (const id of ids) expect(id).toBe(PLACEHOLDER)
      }
    })

    // One wrangler run per Worker the file deploys: each takes seconds of CPU.
    const targets: (string | undefined)[] = [undefined, ...Object.keys(config.env ?? {})]
    it.each(targets)(
      'is accepted by wrangler deploy --dry-run (environment: %s)',
      async (env) => {
        const workspace = mkdtempSync(join(tmpdir(), 'wrangler-example-'))
        mkdirSync(join(workspace, 'home'))
        const file = join(workspace, path)
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, text)
        // The Worker's code is not part of the example: a minimal one where `main` says.
        expect(typeof config.main).toBe('string')
        const main = join(dirname(file), String(config.main))
        mkdirSync(dirname(main), { recursive: true })
        writeFileSync(main, 'export default { fetch: () => new Response("ok") }\n')
        const expected = bindingsOf(env === undefined ? config : config.env?.[env])
        expect(await dryRunBindings(workspace, path, env)).toEqual(expected)
      },
      120_000,
    )
  })
})
