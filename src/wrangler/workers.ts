import { OperationError, errorMessage } from '../core/errors.ts'
import { settleConcurrently } from '../core/concurrency.ts'
import { printable } from '../core/text.ts'
import type { CloudflareApi } from '../cloudflare/client.ts'
import { listWorkerScripts, workerSettings } from '../cloudflare/workers/scripts.ts'
import type { LoadedConfigs } from './config.ts'
import { isRecord, sectionOf } from './document.ts'

/**
 * Which certificates the Workers bind, so that replace never deletes one a Worker still presents:
 * read from the Workers API, and failing closed (every older certificate kept) when it cannot be read.
 */

/** The permission the Workers reads need, as the dashboard names it. */
export const WORKERS_READ_PERMISSION = '"Account → Workers Scripts → Read"'
/** At most this many Workers are read at once. */
const CONCURRENT_READS = 8

/** The Worker a section of a file deploys as: its own `name`, or `<name>-<env>` as wrangler names it. */
function deployedName(value: Record<string, unknown>, section: string): string | undefined {
  const top = typeof value.name === 'string' ? value.name : undefined
  if (section === 'top level') return top
  const env = section.slice('env.'.length)
  const settings = isRecord(value.env) ? value.env[env] : undefined
  const own = isRecord(settings) && typeof settings.name === 'string' ? settings.name : undefined
  return own ?? (top === undefined ? undefined : `${top}-${env}`)
}

/**
 * The Workers the files deploy: the top-level `name`, and each environment's `name` or, when it
 * has none, `<name>-<env>` as wrangler names it. Each once, in the files' order.
 */
export function workerNames(loaded: LoadedConfigs): string[] {
  const names = loaded.flatMap(({ document }) => {
    const value = isRecord(document.value) ? document.value : {}
    const envs = isRecord(value.env) ? Object.keys(value.env) : []
    return ['top level', ...envs.map((env) => `env.${env}`)].map((section) => deployedName(value, section))
  })
  return [...new Set(names.filter((name): name is string => name !== undefined))]
}

/**
 * The sections that bind the certificate but name no Worker (a file deployed with `wrangler deploy
 * --name`, say), as `'file' (section)`: which Worker presents it there cannot be told from the file.
 */
export function unnamedSections(loaded: LoadedConfigs): string[] {
  return loaded.flatMap(({ document, entries, target }) => {
    const value = isRecord(document.value) ? document.value : {}
    const sections = [...new Set(entries.map((entry) => sectionOf(entry.path)))]
    return sections
      .filter((section) => deployedName(value, section) === undefined)
      .map((section) => `'${printable(target.config)}' (${section})`)
  })
}

/** One binding that presents a certificate. */
export interface BoundCertificate {
  worker: string
  binding: string
  certificateId: string
}

/** What the Workers bind; `known: false` when that could not be read, with the one warning that says why. */
export type WorkerBindings =
  { known: true; workers: string[]; bindings: BoundCertificate[] } | { known: false; message: string }

/**
 * Reads the bindings of the named Workers, or of `'every'` Worker in the account (listed first), at
 * most 8 at a time. A Worker that does not exist (404) binds nothing; any other failure, or an answer
 * of the wrong shape, makes the whole result unknown.
 */
export async function readWorkerBindings(
  api: CloudflareApi,
  workers: readonly string[] | 'every',
): Promise<WorkerBindings> {
  let names: readonly string[]
  try {
    names = workers === 'every' ? await listWorkerScripts(api) : workers
  } catch (error) {
    return unknown(error)
  }
  const settled = await settleConcurrently(names, CONCURRENT_READS, (name) => workerSettings(api, name))
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed) return unknown(failed.reason)
  const bindings = settled.flatMap((result, index) => {
    const worker = names[index] ?? ''
    if (result.status !== 'fulfilled' || result.value === 'absent') return []
    return result.value.map((binding) => ({ worker, binding: binding.name, certificateId: binding.certificateId }))
  })
  return { known: true, workers: [...names], bindings }
}

/** The one warning for Workers whose bindings could not be read: the Cloudflare answer and the permission. */
function unknown(error: unknown): WorkerBindings {
  const cause = error instanceof OperationError && error.cause instanceof Error ? error.cause : error
  return {
    known: false,
    message: `Could not read which certificates the Workers bind (${printable(errorMessage(cause))}), so every older certificate is kept. The API token needs ${WORKERS_READ_PERMISSION} on this account to check them.`,
  }
}

/** A certificate replace keeps for a Worker, and why. */
export interface KeptForWorker {
  id: string
  /** `bound by Worker payments (binding PAYMENTS_CERT)`, or that the bindings are unknown. */
  reason: string
}

/** Which candidates a Worker still binds (kept) and which none does (free to delete). Pure. */
export function keepBoundCertificates(
  bindings: WorkerBindings,
  candidateIds: readonly string[],
): { kept: KeptForWorker[]; free: string[] } {
  if (!bindings.known) {
    const reason = "kept: the Workers' bindings could not be read"
    return { kept: candidateIds.map((id) => ({ id, reason })), free: [] }
  }
  const kept: KeptForWorker[] = []
  const free: string[] = []
  for (const id of candidateIds) {
    const users = bindings.bindings.filter((bound) => bound.certificateId.toLowerCase() === id.toLowerCase())
    if (users.length === 0) free.push(id)
    else kept.push({ id, reason: `bound by ${users.map(describeBinding).join(' and ')}` })
  }
  return { kept, free }
}

const describeBinding = (bound: BoundCertificate): string =>
  `Worker ${printable(bound.worker)} (binding ${printable(bound.binding)})`
