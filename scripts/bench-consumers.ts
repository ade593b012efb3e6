/**
 * The consumers' figures for `npm run bench`: the inventory replace and the audit read (every Worker
 * of the account, each version of its current deployment) of 200 Workers, one deployment each, half
 * of them gradual (two versions), behind a Cloudflare stand-in that takes 20 ms to answer each
 * request. Targets: within 3 s, and each version read exactly once. Returns the rows for bench.ts.
 */
import { log } from '../src/action/log.ts'
import { CloudflareApi } from '../src/cloudflare/mtls/client.ts'
import { createHttpClient } from '../src/cloudflare/http.ts'
import { readInventory } from '../src/consumers/inventory.ts'
import { systemClock } from '../src/core/clock.ts'
import { FakeCloudflare } from '../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN } from '../test-kit/fixtures.ts'
import type { Check } from './bench-audit.ts'

const WORKERS = 200
const ANSWER_MS = 20
const RUNS = 3
const TARGET_MS = 3000
const CERTIFICATE = '11111111-1111-4111-8111-111111111111'

export async function benchConsumers(): Promise<Check[]> {
  const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start()
  const http = createHttpClient()
  // One debug line per request would bury the figures: the runner's debug log is off here.
  const debug = log.debug.bind(log)
  log.debug = () => undefined
  try {
    let versions = 0
    for (let i = 0; i < WORKERS; i++) {
      const split =
        i % 2 === 0
          ? [{ certificates: { CLIENT_CERT: CERTIFICATE }, percentage: 100 }]
          : [
              { certificates: { CLIENT_CERT: CERTIFICATE }, percentage: 90 },
              { certificates: {}, percentage: 10 },
            ]
      fake.estate.deployVersions(`worker-${i}`, split)
      versions += split.length
    }
    fake.answerDelayMs = ANSWER_MS
    const settings = {
      apiBaseUrl: fake.url,
      accountId: ACCOUNT_ID,
      credentials: { kind: 'token' as const, token: API_TOKEN },
      maxRetries: 0,
      timeoutSeconds: 60,
    }
    const times: number[] = []
    let reads = 0
    let unread = 0
    for (let run = 0; run <= RUNS; run++) {
      fake.requests.length = 0
      const api = new CloudflareApi(settings, http.send, systemClock)
      const started = performance.now()
      const inventory = await readInventory(api, {
        workers: 'every',
        pages: false,
        hyperdrive: false,
        rollbackDeployments: 0,
      })
      // The first run is a warm-up (connections, JIT), as the other figures have.
      if (run > 0) times.push(performance.now() - started)
      unread += inventory.unread.length
      reads = Math.max(reads, fake.requests.filter((r) => r.path.includes('/versions/')).length)
    }
    const slowest = Math.max(...times)
    console.log(
      `\nConsumers of ${WORKERS} Workers (${versions} versions), each answer taking ${ANSWER_MS} ms: ${slowest.toFixed(0)} ms (slowest of ${RUNS} runs)`,
    )
    return [
      [
        `consumers, ${WORKERS} Workers (slowest): ${slowest.toFixed(0)} ms`,
        `<= ${TARGET_MS} ms`,
        slowest <= TARGET_MS && unread === 0,
      ],
      [`version reads, ${versions} versions:  ${reads}`, `exactly ${versions}`, reads === versions],
    ]
  } finally {
    log.debug = debug
    await http.close()
    await fake.stop()
  }
}

// Run alone: `node scripts/bench-consumers.ts`.
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  for (const [figure, target, ok] of await benchConsumers())
    console.log(`${figure.padEnd(42)} target ${target} ${ok ? 'met' : 'MISSED'}`)
}
