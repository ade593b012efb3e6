/**
 * The manifest's figures for `npm run bench`: `node dist/index.js` with a manifest of 50 client
 * certificates (EC keys, for speed) behind a Cloudflare stand-in that takes 20 ms to answer each
 * request, as a distant API does. Targets: with every entry already in the account, exactly one
 * request (the listing) within 1.5 s; with 50 new entries, within 3 s (uploads 4 at a time). Returns
 * the rows for bench.ts's table of checks.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeCloudflare } from '../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN } from '../test-kit/fixtures.ts'
import { generateKey, issueCertificate, keyPem } from '../test-kit/pki.ts'
import { ROOT, inputEnv } from '../test-kit/run-action.ts'
import { timeBundle } from './bench-run.ts'
import type { Check } from './bench-audit.ts'

const ENTRIES = 50
const ANSWER_MS = 20
const RUNS = 3
const TARGETS = { presentMs: 1500, newMs: 3000, presentRequests: 1 }

export async function benchManifest(): Promise<Check[]> {
  const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start()
  const work = mkdtempSync(join(tmpdir(), 'mtls-bench-manifest-'))
  try {
    const key = generateKey('ec')
    const root = issueCertificate({ commonName: 'Bench Root', key, ca: true })
    const env = { BENCH_KEY: keyPem(key, 'pkcs8') }
    /** A fresh manifest of ENTRIES leaves, all of one key. */
    const manifest = (round: number): void => {
      mkdirSync(join(work, 'certs'), { recursive: true })
      const lines = ['version: 1', 'certificates:']
      for (let i = 0; i < ENTRIES; i++) {
        const pem = issueCertificate({ commonName: `client-${round}-${i}`, key, issuer: root }).pem
        writeFileSync(join(work, 'certs', `${i}.pem`), pem)
        lines.push(`  - { name: client-${i}, certificate: certs/${i}.pem, ca: false, private-key-env: BENCH_KEY }`)
      }
      writeFileSync(join(work, 'manifest.yml'), `${lines.join('\n')}\n`)
    }
    const present: number[] = []
    const fresh: number[] = []
    let requests = 0
    for (let round = 0; round <= RUNS; round++) {
      fake.reset()
      fake.answerDelayMs = ANSWER_MS
      manifest(round)
      const created = await runManifest(fake, work, env)
      if (fake.certificates.size !== ENTRIES)
        throw new Error(`the manifest run uploaded ${fake.certificates.size} of ${ENTRIES}:\n${created.outputs}`)
      // The first round is a warm-up, as the upload figures have.
      if (round > 0) fresh.push(created.ms)
      const again = fake.requests.length
      const reused = await runManifest(fake, work, env)
      if (!reused.outputs.includes('"created":false')) throw new Error(`the re-run did not reuse:\n${reused.outputs}`)
      if (round > 0) present.push(reused.ms)
      requests = Math.max(requests, fake.requests.length - again)
    }
    const slowest = (times: number[]): number => Math.max(...times)
    console.log(
      `\nManifest of ${ENTRIES} certificates, each answer taking ${ANSWER_MS} ms: all present ${slowest(present).toFixed(0)} ms, all new ${slowest(fresh).toFixed(0)} ms (slowest of ${RUNS} runs)`,
    )
    return [
      [
        `manifest, ${ENTRIES} present (slowest): ${slowest(present).toFixed(0)} ms`,
        `<= ${TARGETS.presentMs} ms`,
        slowest(present) <= TARGETS.presentMs,
      ],
      [
        `API requests, ${ENTRIES} present:     ${requests}`,
        `exactly ${TARGETS.presentRequests}`,
        requests === TARGETS.presentRequests,
      ],
      [
        `manifest, ${ENTRIES} new (slowest):   ${slowest(fresh).toFixed(0)} ms`,
        `<= ${TARGETS.newMs} ms`,
        slowest(fresh) <= TARGETS.newMs,
      ],
    ]
  } finally {
    await fake.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

function runManifest(
  fake: FakeCloudflare,
  work: string,
  extra: Record<string, string>,
): Promise<{ ms: number; outputs: string }> {
  const inputs = {
    'account-id': ACCOUNT_ID,
    'api-token': API_TOKEN,
    'api-base-url': fake.url,
    manifest: 'manifest.yml',
  }
  return timeBundle(join(ROOT, 'dist', 'index.js'), work, { ...inputEnv(inputs), ...extra })
}
