import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../src/wrangler/parsers.ts'
import { loadBindings } from '../../src/wrangler/config.ts'
import { planBindingEdits } from '../../src/wrangler/edits.ts'
import { writeBindingEdits } from '../../src/wrangler/write.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

/**
 * wrangler itself reads the files the action edits: `wrangler deploy --dry-run` (offline, nothing
 * outside a temporary directory) reports the new id in the binding, in an environment and at the top
 * level, and the other binding unchanged.
 */

const WRANGLER = fileURLToPath(new URL('../../node_modules/.bin/wrangler', import.meta.url))
const OLD = '11111111-1111-4111-8111-111111111111'
const OTHER = '22222222-2222-4222-8222-222222222222'
const NEW = '33333333-3333-4333-8333-333333333333'

const FILES: Record<string, string> = {
  'wrangler.toml': `# payments
name = "payments"
main = "index.js"
compatibility_date = "2025-01-01"

[[mtls_certificates]]
binding = "PAYMENTS_CERT"
certificate_id = "${OLD}"

[[mtls_certificates]]
binding = "OTHER_CERT"
certificate_id = "${OTHER}"

[env.production]
mtls_certificates = [{ binding = "PAYMENTS_CERT" }]
`,
  'wrangler.jsonc': `{
  // payments
  "name": "payments",
  "main": "index.js",
  "compatibility_date": "2025-01-01",
  "mtls_certificates": [
    { "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}" },
    { "binding": "OTHER_CERT", "certificate_id": "${OTHER}" },
  ],
  "env": {
    "production": {
      "name": "payments-live",
      "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}" }],
    },
  },
}
`,
}

/** The mTLS bindings wrangler reports for a dry-run deploy, binding name → certificate id. */
async function dryRunBindings(workspace: string, config: string, env?: string): Promise<Record<string, string>> {
  const home = join(workspace, 'home')
  const args = ['deploy', '--dry-run', '--outdir', join(workspace, 'out'), '--config', config]
  const { stdout } = await promisify(execFile)(WRANGLER, env ? [...args, '--env', env] : args, {
    cwd: workspace,
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      WRANGLER_SEND_METRICS: 'false',
      CI: 'true',
      NO_COLOR: '1',
    },
  })
  const bindings = [...stdout.matchAll(/env\.(\w+) \(([^)]+)\)\s+mTLS Certificate/g)]
  return Object.fromEntries(bindings.map((match) => [match[1] ?? '', match[2] ?? '']))
}

/**
 * One wrangler run per format (each takes seconds of CPU): the TOML file in its production environment,
 * whose inline table got the id inserted, and the JSONC file at the top level, beside a binding that
 * keeps its id. The other sections are read back with wrangler's own TOML and JSONC parsers in the
 * unit tests of the edits.
 */
const RUNS: [config: string, env: string | undefined, expected: Record<string, string>][] = [
  ['wrangler.toml', 'production', { PAYMENTS_CERT: NEW }],
  ['wrangler.jsonc', undefined, { PAYMENTS_CERT: NEW, OTHER_CERT: OTHER }],
]

/** The text each file should hold after the edit: the ids alone changed, or inserted. */
const EDITED: Record<string, string> = {
  'wrangler.toml': (FILES['wrangler.toml'] ?? '')
    .replace(`certificate_id = "${OLD}"`, `certificate_id = "${NEW}"`)
    .replace('{ binding = "PAYMENTS_CERT" }', `{ binding = "PAYMENTS_CERT", certificate_id = "${NEW}" }`),
  'wrangler.jsonc': (FILES['wrangler.jsonc'] ?? '').replaceAll(OLD, NEW),
}

/**
 * Each file starts with a UTF-8 byte order mark and a comment with a Latin-1 byte (not UTF-8), as
 * an old editor saves it: wrangler 4 reads past both, and the action writes both back as they were.
 */
const PREFIX: Record<string, Buffer> = {
  'wrangler.toml': Buffer.from('\xef\xbb\xbf# Z\xfcrich office\n', 'latin1'),
  'wrangler.jsonc': Buffer.from('\xef\xbb\xbf// Z\xfcrich office\n', 'latin1'),
}

describe.each(RUNS)('wrangler reads the edited %s', (config, env, expected) => {
  it(`with the new id in the binding (${env ? `environment ${env}` : 'top level'})`, async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'wrangler-cli-'))
    mkdirSync(join(workspace, 'home'))
    writeFileSync(join(workspace, 'index.js'), 'export default { fetch: () => new Response("ok") }\n')
    const prefix = PREFIX[config] ?? Buffer.alloc(0)
    writeFileSync(join(workspace, config), Buffer.concat([prefix, Buffer.from(FILES[config] ?? '')]))
    const edits = planBindingEdits(loadBindings(workspace, [{ config, binding: 'PAYMENTS_CERT' }]), NEW)
    expect(writeBindingEdits(edits)).toEqual([config])
    expect(readFileSync(join(workspace, config))).toEqual(Buffer.concat([prefix, Buffer.from(EDITED[config] ?? '')]))
    expect(await dryRunBindings(workspace, config, env)).toEqual(expected)
  }, 120_000)
})
