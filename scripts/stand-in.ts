/**
 * Starts the Cloudflare stand-in (test-kit/fake-cloudflare.ts) as a process, for trying the action by hand
 * and for CI, with throwaway certificates to upload to it. `npm run stand-in -- --help` prints the usage.
 *
 * Writes <dir>/certs/client.pem, <dir>/certs/ca.pem and <dir>/client.key, then <dir>/stand-in.json (last, and
 * atomically, so its existence means the stand-in is listening), and prints the same JSON as one line on stdout;
 * its zoneId is a zone of the account, for API Shield's hostname associations (zone-id).
 * Serves on 127.0.0.1 until SIGINT or SIGTERM, or until --max-seconds pass, so a forgotten one does not linger.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

import { FakeCloudflare } from '../test-kit/fake-cloudflare.ts'
import { parseOrExit } from './command-line.ts'
import { ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN, ZONE_ID, issuedEarlier, makeClient } from '../test-kit/fixtures.ts'
import { USAGE, standInOptions } from './stand-in-options.ts'

const parsed = parseOrExit('stand-in', USAGE, standInOptions)
if (parsed.help) {
  console.log(USAGE)
  process.exit(0)
}
const { port, maxSeconds, failures } = parsed
const out = resolve(parsed.out ?? '')

/** The --seed-expiring certificate's days left: within the audit's default warn-days, not its fail-days. */
const EXPIRING_DAYS = 20

// A bind failure (port in use) is an 'error' event on the server: report it in one line.
process.on('uncaughtException', (error) => {
  console.error(`stand-in: ${error.message}`)
  process.exit(1)
})

// A fresh CA and an EC client certificate it issued.
const fixture = makeClient('ec')
mkdirSync(join(out, 'certs'), { recursive: true })
writeFileSync(join(out, 'certs', 'client.pem'), fixture.client.pem)
writeFileSync(join(out, 'certs', 'ca.pem'), fixture.ca.pem)
// A throwaway key for the local demo only: it signs nothing real, and a real key never belongs in a file like this.
writeFileSync(join(out, 'client.key'), fixture.keyPem, { mode: 0o600 })

const fake = await new FakeCloudflare({
  accountId: ACCOUNT_ID,
  credentials: [{ token: API_TOKEN }, { email: API_EMAIL, key: API_KEY }],
  zoneIds: [ZONE_ID],
}).start(port)
for (const rule of failures) fake.inject(rule)
const seeded = parsed.seedName
  ? fake.seed(issuedEarlier(), {
      name: parsed.seedName,
      uploadedOn: new Date(Date.now() - 86_400_000).toISOString(),
    })
  : undefined
for (const worker of parsed.workers) {
  const certificates: Record<string, string> = {}
  for (const [binding, id] of Object.entries(worker.certificates)) {
    certificates[binding] = id === 'seeded' ? (seeded?.id ?? id) : id
  }
  fake.deployWorker(worker.name, certificates)
}
const expiringName = parsed.seedExpiring
const expiring = expiringName
  ? fake.seed(
      makeClient('ec', { notAfter: new Date(Date.now() + EXPIRING_DAYS * 86_400_000 - 3_600_000) }).client.pem,
      { name: expiringName },
    )
  : undefined
const info = JSON.stringify({
  url: fake.url,
  accountId: ACCOUNT_ID,
  // A zone of the account, for API Shield's hostname associations (zone-id).
  zoneId: ZONE_ID,
  token: API_TOKEN,
  email: API_EMAIL,
  key: API_KEY,
  ...(seeded ? { seededId: seeded.id } : {}),
  ...(expiring ? { expiringId: expiring.id } : {}),
})
const infoFile = join(out, 'stand-in.json')
writeFileSync(`${infoFile}.tmp`, `${info}\n`)
renameSync(`${infoFile}.tmp`, infoFile)
console.log(info)
if (failures.length > 0) console.error(`stand-in: answering with injected failures: ${parsed.fail.join(', ')}`)

let stopping = false
async function shutdown(reason: string): Promise<void> {
  if (stopping) return
  stopping = true
  clearTimeout(deadline)
  await fake.stop()
  const count = fake.requests.length
  console.error(`stand-in: stopped (${reason}) after serving ${count} request${count === 1 ? '' : 's'}.`)
  for (const violation of fake.specViolations) console.error(`stand-in: request against the OpenAPI: ${violation}`)
  process.exit(0)
}

const deadline = setTimeout(() => void shutdown(`--max-seconds ${maxSeconds} reached`), maxSeconds * 1000)
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
