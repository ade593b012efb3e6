/**
 * `npm run bench`: what the action costs a workflow run. Alternates, after a warm-up:
 *   A: `node dist/index.js` making one upload as the runner runs it (INPUT_* variables, output files);
 *   S: the stack floor, scripts/bench-stack-floor.ts bundled by the same `ncc build --minify`: it loads
 *      @actions/core, @actions/github and undici, reads an input and the context, and makes the same POST;
 *   B: the bare floor, scripts/bench-floor.cjs, a Node process making the same POST with node:http;
 * all against the Cloudflare stand-in on 127.0.0.1, with a fresh certificate every run so that no re-run
 * shortcut applies. A/S is the action's own cost beyond the stack it must load. Wall time is measured
 * without instrumentation; peak RSS in a second pass with a preload that reports
 * `process.resourceUsage().maxRSS` at exit.
 *
 *   npm run bench [-- --runs 15 --warmup 3]
 *
 * --runs is honoured as given (at least 1), with a warning below 10, whose medians are rough.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeCloudflare } from '../test-kit/fake-cloudflare.ts'
import { parseOrExit } from './command-line.ts'
import { BENCH_USAGE, benchOptions } from './bench-options.ts'
import { ACCOUNT_ID, API_TOKEN, clientInputs, makeClient } from '../test-kit/fixtures.ts'
import { ROOT, inputEnv } from '../test-kit/run-action.ts'
import { benchAudit } from './bench-audit.ts'
import { benchManifest } from './bench-manifest.ts'
import { benchConsumers } from './bench-consumers.ts'

const TARGETS = { ratio: 1.15, distKiB: 1024, rssMiB: 90, requests: 1 }
const options = parseOrExit('bench', BENCH_USAGE, benchOptions)
const { runs, warmup } = options
for (const warning of options.warnings) console.error(`bench: warning: ${warning}`)

const work = mkdtempSync(join(tmpdir(), 'mtls-bench-'))
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(3, String(process.resourceUsage().maxRSS)))",
)}`

interface Sample {
  ms: number
  rssKiB?: number
  requests: number
}
const VARIANTS = ['A', 'S', 'B'] as const
type Variant = (typeof VARIANTS)[number]
const LABELS: Record<Variant, string> = {
  A: 'A action (dist/index.js)',
  S: 'S stack floor (core, github, undici)',
  B: 'B bare floor (node:http)',
}

/** The stack floor, bundled as dist/ is. */
function buildStackFloor(): string {
  const out = join(work, 'stack-floor')
  const build = spawnSync('ncc', ['build', join(ROOT, 'scripts', 'bench-stack-floor.ts'), '-o', out, '--minify'], {
    cwd: ROOT,
    encoding: 'utf8',
    shell: process.platform === 'win32',
  })
  if (build.status !== 0) throw new Error(`ncc could not build the stack floor: ${build.stderr || build.error}`)
  return join(out, 'index.js')
}

const SCRIPTS: Record<Variant, string> = {
  A: join(ROOT, 'dist', 'index.js'),
  S: buildStackFloor(),
  B: join(ROOT, 'scripts', 'bench-floor.cjs'),
}

const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start()

/** One process run of a variant with a fresh certificate; fails loudly if the upload did not happen. */
async function runOnce(variant: Variant, measureRss: boolean): Promise<Sample> {
  const fixture = makeClient('ec')
  const inputs = clientInputs(fake, fixture)
  const outputFile = join(work, 'output.txt')
  const summaryFile = join(work, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  // What the runner gives every step, for all three, so that each reads the same environment.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/certificates',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '4242',
    ...inputEnv(inputs),
    BENCH_URL: `${fake.url}/accounts/${ACCOUNT_ID}/mtls_certificates`,
    BENCH_TOKEN: API_TOKEN,
    BENCH_BODY: JSON.stringify({
      ca: false,
      certificates: fixture.client.pem,
      name: inputs.name,
      private_key: fixture.keyPem,
    }),
  }
  const args = measureRss ? ['--import', RSS_PRELOAD, SCRIPTS[variant]] : [SCRIPTS[variant]]
  const before = { certificates: fake.certificates.size, requests: fake.requests.length }
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let rss = ''
  child.stdio[3]?.on('data', (chunk: Buffer) => (rss += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (code !== 0 || fake.certificates.size !== before.certificates + 1)
    throw new Error(`variant ${variant} failed (exit code ${code}): ${stderr}`)
  const requests = fake.requests.length - before.requests
  return measureRss ? { ms, rssKiB: Number(rss), requests } : { ms, requests }
}

async function series(measureRss: boolean): Promise<Record<Variant, Sample[]>> {
  const samples: Record<Variant, Sample[]> = { A: [], S: [], B: [] }
  for (let i = 0; i < warmup + runs; i++) {
    // Rotate which goes first, so that none always runs on a machine another just warmed.
    const order = VARIANTS.map((_, k) => VARIANTS[(i + k) % VARIANTS.length] as Variant)
    for (const variant of order) {
      const sample = await runOnce(variant, measureRss)
      if (i >= warmup) samples[variant].push(sample)
    }
  }
  return samples
}

const quantile = (sorted: number[], q: number): number => {
  const position = (sorted.length - 1) * q
  const low = Math.floor(position)
  return (sorted[low] ?? 0) + ((sorted[Math.ceil(position)] ?? 0) - (sorted[low] ?? 0)) * (position - low)
}
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
  }
}

function distKiB(): number {
  const dist = join(ROOT, 'dist')
  const bytes = readdirSync(dist)
    .filter((file) => file.endsWith('.js'))
    .reduce((total, file) => total + statSync(join(dist, file)).size, 0)
  return bytes / 1024
}

try {
  const timing = await series(false)
  const memory = await series(true)
  const rows = VARIANTS.map((variant) => ({
    variant,
    time: stats(timing[variant].map((s) => s.ms)),
    rss: stats(memory[variant].map((s) => (s.rssKiB ?? 0) / 1024)),
  }))
  const median = (variant: Variant): number => rows.find((row) => row.variant === variant)?.time.median ?? Number.NaN
  const rssA = rows.find((row) => row.variant === 'A')?.rss.median ?? Number.NaN
  const ratioS = median('A') / median('S')
  const ratioB = median('A') / median('B')
  const requests = Math.max(...[...timing.A, ...memory.A].map((s) => s.requests))
  const size = distKiB()
  const f = (n: number): string => n.toFixed(1).padStart(6)
  console.log(`Node ${process.version}, ${runs} runs of each after ${warmup} warm-up runs, rotating the order\n`)
  console.log('                                      wall time (ms)                          peak RSS (MiB)')
  console.log('                                      median  p25-p75          min-max         median  min-max')
  for (const { variant, time, rss } of rows) {
    console.log(
      `${LABELS[variant].padEnd(38)}${f(time.median)}  ${f(time.p25)}-${f(time.p75)}  ${f(time.min)}-${f(time.max)}  ${f(rss.median)}  ${f(rss.min)}-${f(rss.max)}`,
    )
  }
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED')
  const checks = [
    [`A/S wall-time ratio (medians): ${ratioS.toFixed(2)}`, `<= ${TARGETS.ratio}`, ratioS <= TARGETS.ratio],
    [`A/B wall-time ratio (medians): ${ratioB.toFixed(2)}`, 'for reference', true],
    [`dist/ JavaScript:              ${size.toFixed(1)} KiB`, `<= ${TARGETS.distKiB} KiB`, size <= TARGETS.distKiB],
    [`peak RSS of A (median):        ${rssA.toFixed(1)} MiB`, `<= ${TARGETS.rssMiB} MiB`, rssA <= TARGETS.rssMiB],
    [`API requests of A per upload:  ${requests}`, `exactly ${TARGETS.requests}`, requests === TARGETS.requests],
    ...(await benchAudit()),
    ...(await benchManifest()),
    ...(await benchConsumers()),
  ] as const
  console.log('')
  for (const [figure, target, ok] of checks) {
    console.log(`${figure.padEnd(42)} target ${target.padEnd(14)} ${target === 'for reference' ? '' : verdict(ok)}`)
  }
  if (checks.some(([, , ok]) => !ok)) process.exitCode = 1
} finally {
  await fake.stop()
  rmSync(work, { recursive: true, force: true })
}
