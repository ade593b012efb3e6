import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'
import { standInOptions } from '../../scripts/stand-in-options.ts'

/** `npm run stand-in`, run as a user runs it: a process on a free port, asked over HTTP. */

const SCRIPT = join(ROOT, 'scripts', 'stand-in.ts')

interface StandInInfo {
  url: string
  accountId: string
  token: string
  email: string
  key: string
  seededId?: string
}

interface Running {
  info: StandInInfo
  child: ChildProcess
  out: string
  stderr: () => string
}

const started: Running[] = []
afterEach(() => {
  for (const running of started.splice(0)) {
    running.child.kill('SIGTERM')
    rmSync(running.out, { recursive: true, force: true })
  }
})

/** Starts the stand-in with `args` on a free port and waits for its JSON line. */
async function startStandIn(...args: string[]): Promise<Running> {
  const out = mkdtempSync(join(tmpdir(), 'stand-in-test-'))
  const child = spawn(process.execPath, [SCRIPT, '--port', '0', '--out', out, '--max-seconds', '60', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0] ?? '')
    })
    child.on('exit', (code) => {
      reject(new Error(`stand-in exited with ${code}: ${stderr}`))
    })
  })
  const running = { info: JSON.parse(line) as StandInInfo, child, out, stderr: () => stderr }
  started.push(running)
  return running
}

/** Stops it as Ctrl-C does, and gives what it printed on the way out. */
async function stop(running: Running): Promise<string> {
  const exited = new Promise((resolve) => running.child.on('exit', resolve))
  running.child.kill('SIGINT')
  await exited
  return running.stderr()
}

type Auth = 'token' | 'global-key' | 'wrong'
async function list(
  info: StandInInfo,
  auth: Auth = 'token',
): Promise<{ status: number; errors: { code: number; message: string }[] }> {
  const headers: Record<string, string> =
    auth === 'token'
      ? { authorization: `Bearer ${info.token}` }
      : auth === 'global-key'
        ? { 'x-auth-email': info.email, 'x-auth-key': info.key }
        : { authorization: 'Bearer not-the-token' }
  const response = await fetch(`${info.url}/accounts/${info.accountId}/mtls_certificates`, { headers })
  const body = (await response.json()) as { errors: { code: number; message: string }[] }
  return { status: response.status, errors: body.errors }
}

const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' })

describe('npm run stand-in', () => {
  it('prints its usage with --help, documenting credentials and --fail', () => {
    const help = run('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('usage: npm run stand-in -- --out <dir>')
    expect(help.stdout).toContain('api-email: email, api-key: key')
    expect(help.stdout).toContain('--fail [METHOD:]STATUS:CODE[:TIMES]')
    expect(help.stdout).toContain('--fail 403:9109')
    expect(help.stderr).toBe('')
  })

  it('exits 2 with the usage on a bad option', () => {
    const refused = run('--out', tmpdir(), '--fail', '403')
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain("stand-in: --fail '403' is not [METHOD:]STATUS:CODE[:TIMES]")
    expect(refused.stderr).toContain('usage: npm run stand-in')
    expect(refused.stdout).toBe('')
  })

  it('accepts an API token and a global API key with its email, and refuses other credentials', async () => {
    const standIn = await startStandIn()
    expect(existsSync(join(standIn.out, 'stand-in.json'))).toBe(true)
    expect(JSON.parse(readFileSync(join(standIn.out, 'stand-in.json'), 'utf8'))).toEqual(standIn.info)
    expect(await list(standIn.info, 'token')).toEqual({ status: 200, errors: [] })
    expect(await list(standIn.info, 'global-key')).toEqual({ status: 200, errors: [] })
    expect(await list(standIn.info, 'wrong')).toEqual({
      status: 403,
      errors: [{ code: 10000, message: 'Authentication error' }],
    })
    expect(await stop(standIn)).toContain('stopped (SIGINT) after serving 3 requests.')
  })

  it('answers a chosen error on every request with --fail STATUS:CODE', async () => {
    const standIn = await startStandIn('--fail', '403:9109')
    const expected = { status: 403, errors: [{ code: 9109, message: 'Unauthorized to access requested resource' }] }
    for (const auth of ['token', 'global-key', 'token'] as const)
      expect(await list(standIn.info, auth)).toEqual(expected)
    expect(standIn.stderr()).toContain('answering with injected failures: 403:9109')
  })

  it('answers a chosen error for the first TIMES requests, then serves', async () => {
    const standIn = await startStandIn('--fail', '500:10000:2')
    const failed = { status: 500, errors: [{ code: 10000, message: 'Authentication error' }] }
    expect(await list(standIn.info)).toEqual(failed)
    expect(await list(standIn.info)).toEqual(failed)
    expect(await list(standIn.info)).toEqual({ status: 200, errors: [] })
  })

  it('applies a failure with a METHOD only to requests of that method', async () => {
    const standIn = await startStandIn('--fail', 'post:429:971', '--fail', '503:4242:1')
    // The first GET meets the second rule; the POST rule never applies to a GET.
    expect(await list(standIn.info)).toEqual({
      status: 503,
      errors: [{ code: 4242, message: 'Injected failure (code 4242)' }],
    })
    expect(await list(standIn.info)).toEqual({ status: 200, errors: [] })
    const upload = await fetch(`${standIn.info.url}/accounts/${standIn.info.accountId}/mtls_certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.info.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ca: true, certificates: readFileSync(join(standIn.out, 'certs', 'ca.pem'), 'utf8') }),
    })
    expect(upload.status).toBe(429)
    expect(((await upload.json()) as { errors: unknown[] }).errors).toEqual([
      { code: 971, message: 'Please wait and consider throttling your request speed' },
    ])
  })
})

describe('standInOptions', () => {
  it.each(['403', '403:abc', '99:1000', '403:9109:0', 'PATCH:403:9109', '403:9109:2:extra'])(
    'refuses --fail %s',
    (value) => {
      expect(() => standInOptions(['--out', 'x', '--fail', value])).toThrow(
        `--fail '${value}' is not [METHOD:]STATUS:CODE[:TIMES]`,
      )
    },
  )

  it('reads every --fail in order, with its method and count', () => {
    const { failures } = standInOptions(['--out', 'x', '--fail', 'delete:400:1499:3', '--fail', '403:9109'])
    expect(
      failures.map(({ method, times, fault }) => ({ method, times, status: 'status' in fault && fault.status })),
    ).toEqual([
      { method: 'DELETE', times: 3, status: 400 },
      { method: undefined, times: Infinity, status: 403 },
    ])
  })

  it.each([
    [['--out', 'x', '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['--out', 'x', '--max-seconds', '0'], '--max-seconds must be a positive number'],
    [[], '--out is required'],
    [['--out', 'x', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j', (argv, message) => {
    expect(() => standInOptions(argv)).toThrow(message)
  })

  it('reads every --worker with its bindings, and refuses a malformed one', () => {
    expect(
      standInOptions(['--out', 'x', '--worker', 'payments:PAYMENTS_CERT=seeded,OTHER=abc', '--worker', 'api']).workers,
    ).toEqual([
      { name: 'payments', certificates: { PAYMENTS_CERT: 'seeded', OTHER: 'abc' } },
      { name: 'api', certificates: {} },
    ])
    expect(() => standInOptions(['--out', 'x', '--worker', 'payments:PAYMENTS_CERT'])).toThrow(
      "--worker 'payments:PAYMENTS_CERT' is not",
    )
  })

  it('needs nothing else with --help', () => {
    expect(standInOptions(['--help']).help).toBe(true)
  })
})
