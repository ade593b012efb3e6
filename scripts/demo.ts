/**
 * `npm run demo`: what the action does, end to end, with no network beyond 127.0.0.1. It starts the Cloudflare
 * stand-in, makes a throwaway CA and client certificate, and runs the committed dist/ bundle as the GitHub runner
 * would (inputs, output and summary files, log masking); then runs it again with the same certificate.
 */
import { rmSync } from 'node:fs'

import { FakeCloudflare, type RecordedRequest } from '../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN, makeClient, makeWorkspace } from '../test-kit/fixtures.ts'
import { leakedSecrets, runAction, type ActionRun } from '../test-kit/run-action.ts'

const heading = (text: string): void => {
  console.log(`\n== ${text} ${'='.repeat(Math.max(0, 76 - text.length))}`)
}
const indent = (text: string): string => text.replace(/^/gm, '  ')

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#124': '|' }
/** The job summary's HTML as plain text: headings, "key: value" rows, paragraphs. */
const summaryText = (html: string): string =>
  html
    .replace(/<h\d>(.*?)<\/h\d>/g, '# $1')
    .replace(/<tr><th[^>]*>(.*?)<\/th><td>(.*?)<\/td><\/tr>/g, '$1: $2')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|#124);/g, (_, name: string) => ENTITIES[name] ?? name)
    .replace(/\n+/g, '\n')
    .trim()

function showRun(run: ActionRun): void {
  heading('Log (masked as the runner shows it)')
  console.log(indent(run.log.replace(/^::(debug|notice|warning|error)(?: [^:]*)?::/gm, '[$1] ').trim()))
  heading('Outputs')
  const width = Math.max(...Object.keys(run.outputs).map((name) => name.length))
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name.padEnd(width)}  ${value}`)
  heading('Job summary')
  console.log(indent(summaryText(run.summary)))
}

function showRequests(requests: RecordedRequest[]): void {
  heading('What the Cloudflare stand-in received')
  for (const request of requests) {
    console.log(`  ${request.method} ${request.path}`)
    if (request.json === null || typeof request.json !== 'object') continue
    const body = { ...(request.json as Record<string, unknown>) }
    if (typeof body.private_key === 'string')
      body.private_key = `<redacted: ${Buffer.byteLength(body.private_key)} bytes>`
    console.log(indent(indent(JSON.stringify(body, null, 2))))
  }
}

const fake = await new FakeCloudflare({ accountId: ACCOUNT_ID, credentials: { token: API_TOKEN } }).start()
const fixture = makeClient('ec')
const workspace = makeWorkspace({ 'certs/client.pem': fixture.client.pem })
const inputs = {
  'account-id': ACCOUNT_ID,
  'api-token': API_TOKEN,
  'api-base-url': fake.url,
  'certificate-path': 'certs/client.pem',
  'private-key': fixture.keyPem,
  ca: 'false',
  name: 'demo-client',
}
try {
  console.log(`Cloudflare stand-in on ${fake.url}; workspace ${workspace} holds certs/client.pem.`)
  console.log('Running dist/index.js with inputs:')
  for (const [name, value] of Object.entries(inputs))
    console.log(`  ${name}: ${name === 'private-key' || name === 'api-token' ? '<secret>' : value}`)

  const first = await runAction(inputs, { workspace })
  showRun(first)
  showRequests(fake.requests)
  const leaks = leakedSecrets(first, [API_TOKEN, fixture.keyPem])
  console.log(`\nExit code ${String(first.exitCode)}; secrets in log, outputs or summary: ${leaks.length || 'none'}.`)

  const before = fake.requests.length
  heading('Second run, same certificate (a re-run of the job)')
  const second = await runAction(inputs, { workspace })
  showRun(second)
  showRequests(fake.requests.slice(before))
  console.log(
    `\nExit code ${String(second.exitCode)}; created=${second.outputs.created ?? '(unset)'}, certificate-id ${
      second.outputs['certificate-id'] === first.outputs['certificate-id'] ? 'unchanged' : 'changed'
    }; the stand-in holds ${fake.certificates.size} certificate(s).`,
  )
  if (first.exitCode !== 0) process.exitCode = 1
} finally {
  await fake.stop()
  rmSync(workspace, { recursive: true, force: true })
}
