import { parseArgs } from 'node:util'
import { errorAnswer, type FaultRule } from '../test-kit/fake-cloudflare.ts'

/** `npm run stand-in` options (scripts/stand-in.ts). */

export const USAGE = `usage: npm run stand-in -- --out <dir> [--port <0-65535>] [--max-seconds <n>] [--seed-name <name>]
                               [--seed-expiring <name>] [--fail [METHOD:]STATUS:CODE[:TIMES]]...
                               [--worker NAME[:BINDING=ID,...]]...

A stand-in for Cloudflare's mTLS certificate API on 127.0.0.1, checking every request against
Cloudflare's OpenAPI description. It accepts both kinds of credentials, which stand-in.json holds:
an API token (api-token: token) and a global API key (api-email: email, api-key: key).

  --out <dir>            where to write certs/client.pem, certs/ca.pem, client.key and stand-in.json
  --port <n>             the port to listen on (default 8787; 0 picks a free one)
  --max-seconds <n>      stop after this many seconds (default 600)
  --seed-name <name>     start with an older certificate of this name (uploaded a day ago), which
                         replace should remove; its id is seededId in stand-in.json
  --seed-expiring <name> also hold a certificate of this name that expires in 20 days: within the
                         audit's default warn-days (30), not its fail-days (7); its id is expiringId
  --fail [METHOD:]STATUS:CODE[:TIMES]
                         answer with Cloudflare's error envelope, HTTP STATUS and error CODE, instead
                         of serving: every request, or the first TIMES; only METHOD (GET, POST,
                         DELETE) requests with a method. Repeatable; the first that applies answers.
                         To rehearse failures, for example:
                           --fail 403:9109        a token without the permission, on every request
                           --fail 403:10000       credentials Cloudflare does not accept
                           --fail 500:10000:2     two server errors, then normal answers (retries)
                           --fail POST:429:971    rate limited on every upload
                           --fail DELETE:400:1499 a certificate in use, for replace
  --worker NAME[:BINDING=ID,...]
                         serve a Worker of this name through the Workers calls (list scripts, script
                         settings), with these mtls_certificate bindings; ID 'seeded' is the id of
                         --seed-name's certificate. Repeatable. For example:
                           --worker payments:PAYMENTS_CERT=seeded
  --help                 print this and exit`

/** Cloudflare's messages for the codes one might rehearse; any other code gets a generic one. */
const MESSAGES: Readonly<Record<number, string>> = {
  971: 'Please wait and consider throttling your request speed',
  1000: 'Internal error',
  1412: 'Invalid certificate',
  1413: 'The private key does not match the certificate',
  1471: 'This certificate already exists',
  1499: 'The certificate is in use and cannot be deleted',
  7003: 'Could not route to /accounts, perhaps your object identifier is invalid?',
  9106: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers',
  9109: 'Unauthorized to access requested resource',
  10000: 'Authentication error',
}

/** One --fail value as a fault rule. */
export function failureRule(text: string): FaultRule {
  const match = /^(?:(GET|POST|DELETE):)?([1-5]\d\d):(\d+)(?::([1-9]\d*))?$/i.exec(text)
  if (!match)
    throw new Error(
      `--fail '${text}' is not [METHOD:]STATUS:CODE[:TIMES], such as 403:9109, 500:10000:2 or DELETE:400:1499`,
    )
  const [, method, status, code, times] = match
  const message = MESSAGES[Number(code)] ?? `Injected failure (code ${code ?? ''})`
  return {
    ...(method ? { method: method.toUpperCase() } : {}),
    fault: errorAnswer(Number(status), [{ code: Number(code), message }]),
    times: times ? Number(times) : Infinity,
  }
}

/** A Worker the stand-in serves: its name and its mtls_certificate bindings (binding → id). */
export interface StandInWorker {
  name: string
  certificates: Record<string, string>
}

/** One --worker value. */
export function workerOption(text: string): StandInWorker {
  const match = /^([A-Za-z0-9_-]+)(?::(.+))?$/.exec(text)
  const pairs = (match?.[2] ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => /^(\w+)=([\w-]+)$/.exec(pair))
  if (!match || pairs.some((pair) => !pair)) {
    throw new Error(`--worker '${text}' is not NAME[:BINDING=ID,...], such as payments:PAYMENTS_CERT=seeded`)
  }
  const certificates: Record<string, string> = {}
  for (const pair of pairs) certificates[pair?.[1] ?? ''] = pair?.[2] ?? ''
  return { name: match[1] ?? '', certificates }
}

export interface StandInOptions {
  help: boolean
  port: number
  out?: string
  maxSeconds: number
  seedName?: string
  seedExpiring?: string
  /** As given, for the log. */
  fail: string[]
  failures: FaultRule[]
  workers: StandInWorker[]
}

/** Reads the command line; throws an Error whose message says what is wrong with it. */
export function standInOptions(argv: string[]): StandInOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      out: { type: 'string' },
      'max-seconds': { type: 'string', default: '600' },
      'seed-name': { type: 'string' },
      'seed-expiring': { type: 'string' },
      fail: { type: 'string', multiple: true, default: [] },
      worker: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  const maxSeconds = Number(values['max-seconds'])
  if (!values.help) {
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new Error('--port must be an integer from 0 to 65535')
    // setTimeout holds at most 2^31 - 1 ms, about 24.8 days.
    if (!(maxSeconds > 0 && maxSeconds <= 2_147_483))
      throw new Error('--max-seconds must be a positive number of seconds, at most 2147483')
    if (!values.out) throw new Error('--out is required')
  }
  return {
    help: values.help,
    port,
    ...(values.out === undefined ? {} : { out: values.out }),
    maxSeconds,
    ...(values['seed-name'] === undefined ? {} : { seedName: values['seed-name'] }),
    ...(values['seed-expiring'] === undefined ? {} : { seedExpiring: values['seed-expiring'] }),
    fail: values.fail,
    failures: values.fail.map(failureRule),
    workers: values.worker.map(workerOption),
  }
}
