import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/**
 * wrangler itself, offline: `wrangler deploy --dry-run --outdir` reads a configuration file as a real
 * deploy would and reports its bindings, without any request (HOME and caches inside the workspace).
 */
const WRANGLER = fileURLToPath(new URL('../../node_modules/.bin/wrangler', import.meta.url))

/** The mTLS bindings wrangler would deploy from `config` (and `env`), binding name → certificate id. */
export async function dryRunBindings(workspace: string, config: string, env?: string): Promise<Record<string, string>> {
  const home = join(workspace, '.wrangler-home')
  const args = ['deploy', '--dry-run', '--outdir', join(workspace, '.wrangler-out'), '--config', config]
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
