/**
 * `npm run bench`: what the action costs a workflow run beyond the floor. Alternates, after a warm-up:
 *   A: `node dist/index.js` making one upload as the runner runs it (INPUT_* variables, output files),
 *   B: the floor, scripts/bench-floor.cjs, a bare Node process making the same POST with node:http,
 * both against the Cloudflare stand-in on 127.0.0.1, with a fresh certificate every run so that no
 * re-run shortcut applies. Wall time is measured without instrumentation; peak RSS in a second pass
 * with a preload that reports `process.resourceUsage().maxRSS` at exit.
 *
 *   npm run bench [-- --runs 15 --warmup 3]
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FakeCloudflare } from '../__tests__/support/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, clientInputs, makeClient } from '../__tests__/support/fixtures.ts'
import { ROOT, inputEnv } from '../__tests__/support/run-action.ts'

const TARGETS = { ratio: 1.3, distKiB: 700, rssMiB: 80 }
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' } },
})
const runs = Math.max(10, Number(values.runs))
const warmup = Math.max(1, Number(values.warmup))

const work = mkdtempSync(join(tmpdir(), 'mtls-bench-'))
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => writeSync(3, String(process.resourceUsage().maxRSS)))",
)}`

interface Sample {
  ms: number
  rssKiB?: number
}
type Variant = 'A' | 'B'

const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start()

/** One process run of a variant with a fresh certificate; fails loudly if the upload did not happen. */
async function runOnce(variant: Variant, measureRss: boolean): Promise<Sample> {
  const fixture = makeClient('ec')
  const inputs = clientInputs(fake, fixture)
  const outputFile = join(work, 'output.txt')
  const summaryFile = join(work, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> =
    variant === 'A'
      ? {
          PATH: process.env.PATH ?? '',
          GITHUB_WORKSPACE: work,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
          ...inputEnv(inputs),
        }
      : {
          PATH: process.env.PATH ?? '',
          BENCH_URL: `${fake.url}/accounts/${ACCOUNT_ID}/mtls_certificates`,
          BENCH_TOKEN: API_TOKEN,
          BENCH_BODY: JSON.stringify({
            ca: false,
            certificates: fixture.client.pem,
            name: inputs.name,
            private_key: fixture.keyPem,
          }),
        }
  const script = variant === 'A' ? join(ROOT, 'dist', 'index.js') : join(ROOT, 'scripts', 'bench-floor.cjs')
  const args = measureRss ? ['--import', RSS_PRELOAD, script] : [script]
  const before = fake.certificates.size
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  let rss = ''
  child.stdio[3]?.on('data', (chunk: Buffer) => (rss += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (code !== 0 || fake.certificates.size !== before + 1)
    throw new Error(`variant ${variant} failed (exit code ${code}): ${stderr}`)
  return measureRss ? { ms, rssKiB: Number(rss) } : { ms }
}

async function series(measureRss: boolean): Promise<Record<Variant, Sample[]>> {
  const samples: Record<Variant, Sample[]> = { A: [], B: [] }
  for (let i = 0; i < warmup + runs; i++) {
    // Alternate which goes first, so that neither always runs on a machine the other just warmed.
    const order: Variant[] = i % 2 === 0 ? ['A', 'B'] : ['B', 'A']
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
  const rows = (['A', 'B'] as const).map((variant) => {
    const time = stats(timing[variant].map((s) => s.ms))
    const rss = stats(memory[variant].map((s) => (s.rssKiB ?? 0) / 1024))
    return { variant, time, rss }
  })
  const [a, b] = rows
  if (!a || !b) throw new Error('no samples')
  const ratio = a.time.median / b.time.median
  const size = distKiB()
  const f = (n: number): string => n.toFixed(1).padStart(6)
  console.log(`Node ${process.version}, ${runs} runs of each after ${warmup} warm-up runs, alternating\n`)
  console.log('                          wall time (ms)                          peak RSS (MiB)')
  console.log('                          median  p25–p75          min–max         median  min–max')
  for (const { variant, time, rss } of rows) {
    const label = variant === 'A' ? 'A action (dist/index.js)' : 'B floor (node:http POST)'
    console.log(
      `${label.padEnd(26)}${f(time.median)}  ${f(time.p25)}–${f(time.p75)}  ${f(time.min)}–${f(time.max)}  ${f(rss.median)}  ${f(rss.min)}–${f(rss.max)}`,
    )
  }
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED')
  console.log('')
  console.log(
    `A/B wall-time ratio (medians): ${ratio.toFixed(2)}   target ≤ ${TARGETS.ratio}: ${verdict(ratio <= TARGETS.ratio)}`,
  )
  console.log(
    `dist/ JavaScript:              ${size.toFixed(1)} KiB   target ≤ ${TARGETS.distKiB} KiB: ${verdict(size <= TARGETS.distKiB)}`,
  )
  console.log(
    `peak RSS of A (median):        ${a.rss.median.toFixed(1)} MiB   target ≤ ${TARGETS.rssMiB} MiB: ${verdict(a.rss.median <= TARGETS.rssMiB)}`,
  )
  if (ratio > TARGETS.ratio || size > TARGETS.distKiB || a.rss.median > TARGETS.rssMiB) process.exitCode = 1
} finally {
  await fake.stop()
  rmSync(work, { recursive: true, force: true })
}
