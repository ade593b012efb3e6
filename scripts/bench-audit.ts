/**
 * The audit's figure for `npm run bench`: `node dist/audit/index.js` auditing an account of 500
 * certificates (40 of them expiring, so 40 association reads) behind a Cloudflare stand-in that takes
 * 20 ms to answer each request, as a distant API does. Target: every run within 3 s. Returns the rows
 * for bench.ts's table of checks.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeCloudflare } from '../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN } from '../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../test-kit/pki.ts'
import { ROOT, auditYaml, inputEnv } from '../test-kit/run-action.ts'
import { timeBundle } from './bench-run.ts'

const CERTIFICATES = 500
/** Within warn-days (30), and within fail-days (7): 40 association reads in all. */
const EXPIRING = 30
const FAILING = 10
const ANSWER_MS = 20
const RUNS = 5
const TARGET_MS = 3000
const DAY = 86_400_000

export type Check = readonly [figure: string, target: string, ok: boolean]

export async function benchAudit(): Promise<Check[]> {
  const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start()
  const work = mkdtempSync(join(tmpdir(), 'mtls-bench-audit-'))
  try {
    const key = generateKey('ec')
    const root = issueCertificate({
      commonName: 'Bench Root',
      key,
      ca: true,
      notAfter: new Date(Date.now() + 900 * DAY),
    })
    for (let i = 0; i < CERTIFICATES; i++) {
      const days = i < FAILING ? 3 : i < FAILING + EXPIRING ? 20 : 300
      const pem = issueCertificate({
        commonName: `client-${i}`,
        key,
        issuer: root,
        notAfter: new Date(Date.now() + days * DAY),
      }).pem
      fake.seed(pem, { name: `client-${i}`, ...(i % 2 === 0 ? { inUseBy: ['api_shield'] } : {}) })
    }
    fake.answerDelayMs = ANSWER_MS
    const times: number[] = []
    let requests = 0
    for (let run = 0; run <= RUNS; run++) {
      const before = fake.requests.length
      const { ms, outputs } = await runAudit(fake, work)
      if (
        !outputs.includes(`total<<`) ||
        !new RegExp(`expiring-count<<\\S+\\n${EXPIRING + FAILING}\\n`).test(outputs)
      ) {
        throw new Error(`the audit did not report ${EXPIRING + FAILING} expiring certificates:\n${outputs}`)
      }
      // The first run is a warm-up, as the upload figures have.
      if (run > 0) times.push(ms)
      requests = fake.requests.length - before
    }
    times.sort((a, b) => a - b)
    const median = times[Math.floor(times.length / 2)] ?? Number.NaN
    const slowest = times.at(-1) ?? Number.NaN
    const kiB = statSync(join(ROOT, 'dist', 'audit', 'index.js')).size / 1024
    // The listing, one association read per flagged certificate, the consumers of an account with no
    // Workers, dispatch namespaces, Pages projects or Hyperdrive configs (one list of each), and its
    // Access CAs (one list; no zone-ids, so no Authenticated Origin Pulls read).
    const expectedRequests = 1 + EXPIRING + FAILING + 4 + 1
    console.log(
      `\nAudit of ${CERTIFICATES} certificates (${EXPIRING + FAILING} expiring), each answer taking ${ANSWER_MS} ms: median ${median.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms of ${RUNS} runs`,
    )
    return [
      [`audit, slowest of ${RUNS} runs:     ${slowest.toFixed(0)} ms`, `<= ${TARGET_MS} ms`, slowest <= TARGET_MS],
      [`API requests of the audit:     ${requests}`, `exactly ${expectedRequests}`, requests === expectedRequests],
      [`dist/audit/ JavaScript:        ${kiB.toFixed(1)} KiB`, '<= 1024 KiB', kiB <= 1024],
    ]
  } finally {
    await fake.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

function runAudit(fake: FakeCloudflare, work: string): Promise<{ ms: number; outputs: string }> {
  const inputs = { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, 'api-base-url': fake.url }
  return timeBundle(join(ROOT, 'dist', 'audit', 'index.js'), work, inputEnv(inputs, auditYaml))
}
