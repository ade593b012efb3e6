/**
 * Starts the Cloudflare stand-in (the tests' FakeCloudflare) as a process, for trying the action by hand and
 * for CI, with throwaway certificates to upload to it:
 *
 *   node scripts/stand-in.ts --port 8787 --out <dir> [--max-seconds 600] [--seed-name <name>]
 *
 * With --seed-name, the account starts with an older certificate of that name (uploaded a day ago, not the
 * one in certs/), which `replace` should remove: its id is `seededId` in stand-in.json.
 * Writes <dir>/certs/client.pem, <dir>/certs/ca.pem and <dir>/client.key, then <dir>/stand-in.json (last, and
 * atomically, so its existence means the stand-in is listening), and prints the same JSON as one line on stdout.
 * Serves on 127.0.0.1 until SIGINT or SIGTERM, or until --max-seconds pass, so a forgotten one does not linger.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

import { FakeCloudflare } from '../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, makeClient } from '../test-kit/fixtures.ts'

const usage = 'usage: node scripts/stand-in.ts --port <0-65535> --out <dir> [--max-seconds <n>] [--seed-name <name>]'

function fail(message: string): never {
  console.error(`stand-in: ${message}\n${usage}`)
  process.exit(2)
}

function options(): { port: string; out?: string; 'max-seconds': string; 'seed-name'?: string } {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '8787' },
        out: { type: 'string' },
        'max-seconds': { type: 'string', default: '600' },
        'seed-name': { type: 'string' },
      },
    }).values
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
}

const parsed = options()
const port = Number(parsed.port)
const maxSeconds = Number(parsed['max-seconds'])
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail('--port must be an integer from 0 to 65535')
// setTimeout holds at most 2^31 - 1 ms, about 24.8 days.
if (!(maxSeconds > 0 && maxSeconds <= 2_147_483))
  fail('--max-seconds must be a positive number of seconds, at most 2147483')
if (!parsed.out) fail('--out is required')
const out = resolve(parsed.out)

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

const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start(port)
const seeded = parsed['seed-name']
  ? fake.seed(makeClient('ec').client.pem, {
      name: parsed['seed-name'],
      uploadedOn: new Date(Date.now() - 86_400_000).toISOString(),
    })
  : undefined
const info = JSON.stringify({
  url: fake.url,
  accountId: ACCOUNT_ID,
  token: API_TOKEN,
  ...(seeded ? { seededId: seeded.id } : {}),
})
const infoFile = join(out, 'stand-in.json')
writeFileSync(`${infoFile}.tmp`, `${info}\n`)
renameSync(`${infoFile}.tmp`, infoFile)
console.log(info)

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
