import type { CertificateSpec } from '../certificate/spec.ts'
import { log } from '../action/log.ts'
import { printable } from '../core/text.ts'
import type { CloudflareApi } from '../cloudflare/client.ts'
import { workerCheck, type ConsumerOptions, type WorkerCheck, type WorkerScope } from '../replace/workers.ts'
import { loadBindings, type LoadedConfigs } from '../wrangler/config.ts'
import { planBindingEdits, type BindingEdits } from '../wrangler/edits.ts'
import { writeBindingEdits } from '../wrangler/write.ts'
import { unnamedSections, workerNames } from '../wrangler/workers.ts'
import type { CertificateOptions, CertificateResult } from './result.ts'

/**
 * The spec's Wrangler configurations: the certificate's id written into its binding once the
 * certificate is in place (a real run), or planned in memory (a dry run), and the Workers replace
 * checks before it deletes an older certificate.
 */

/**
 * What a dry run that would upload shows for the id: not an id, so it can never be mistaken for one;
 * the edits made with it are only planned, never written.
 */
export const NEW_CERTIFICATE_ID = "(the new certificate's id)"

export interface WranglerWork {
  wrangler?: NonNullable<CertificateResult['wrangler']>
  /** The Workers whose bindings replace reads: those the files deploy, or every one (check-workers). */
  workers: WorkerScope
}

type WranglerOptions = Pick<CertificateOptions, 'workspace' | 'checkWorkers'>

/** Writes the id into every file that lacks it (a real run), and logs each entry's old → new id. */
export function writeWrangler(spec: CertificateSpec, id: string, options: WranglerOptions): WranglerWork {
  return wranglerWork(spec, id, options, writeBindingEdits)
}

/** Plans the same edits and writes nothing (a dry run); without an id, with NEW_CERTIFICATE_ID. */
export function planWrangler(spec: CertificateSpec, id: string | undefined, options: WranglerOptions): WranglerWork {
  return wranglerWork(spec, id ?? NEW_CERTIFICATE_ID, options, () => [])
}

function wranglerWork(
  spec: CertificateSpec,
  id: string,
  { workspace, checkWorkers }: WranglerOptions,
  write: (edits: BindingEdits) => string[],
): WranglerWork {
  if (!spec.wrangler) return { workers: checkWorkers ? 'every' : [] }
  // Read again (settings checked them): another step may have changed them since.
  const loaded = loadBindings(workspace, spec.wrangler)
  const edits = planBindingEdits(loaded, id)
  const written = write(edits)
  logEdits(edits, written)
  return { wrangler: { edits, written }, workers: checkWorkers ? 'every' : workerScope(loaded) }
}

/**
 * The Workers replace reads before a delete: those the files deploy; every Worker in the account
 * when a section binding the certificate names none, as its Worker cannot be told (fail closed).
 */
function workerScope(loaded: LoadedConfigs): WorkerScope {
  const unnamed = unnamedSections(loaded)
  if (unnamed.length === 0) return workerNames(loaded)
  log.info(
    `Wrangler ${unnamed.join(', ')} binds the certificate but names no Worker (no name there): before replace deletes, the bindings of every Worker in the account are read, as with check-workers: true.`,
  )
  return 'every'
}

/** The check of the Workers replace reads: the step's shared one for the scope, or the spec's own. */
export const workersOf = (
  api: CloudflareApi,
  options: Pick<CertificateOptions, 'workerCheck' | 'consumers'>,
  scope: WorkerScope,
): WorkerCheck | undefined =>
  options.workerCheck ? options.workerCheck(scope) : workerCheck(api, scope, options.consumers)

/**
 * One check per scope for a step of many specs: each is memoised (workerCheck), so the Workers are
 * read once for every spec of that scope, check-workers' every Worker once for all of them.
 */
export function sharedWorkerChecks(
  api: CloudflareApi,
  consumers?: ConsumerOptions,
): NonNullable<CertificateOptions['workerCheck']> {
  const checks = new Map<string, WorkerCheck | undefined>()
  return (scope) => {
    const key = scope === 'every' ? 'every' : JSON.stringify([...scope].sort())
    if (!checks.has(key)) checks.set(key, workerCheck(api, scope, consumers))
    return checks.get(key)
  }
}

/** Each file and section, with its old and new id, as the summary shows it. */
export type EditStatus = 'written' | 'would write' | 'unchanged'

export const editStatus = (changed: boolean, config: string, written: readonly string[]): EditStatus =>
  !changed ? 'unchanged' : written.includes(config) ? 'written' : 'would write'

function logEdits(edits: BindingEdits, written: readonly string[]): void {
  for (const file of edits.files) {
    const status = editStatus(file.changed, file.config, written)
    for (const entry of file.entries) {
      const where = `'${printable(file.config)}' (${printable(entry.section)}, binding ${file.binding})`
      if (entry.oldId === entry.newId) log.info(`Wrangler ${where}: certificate_id already holds it, ${entry.newId}.`)
      else {
        const verb = status === 'written' ? 'wrote' : 'would write'
        log.info(`Wrangler ${where}: ${verb} certificate_id ${printable(entry.oldId ?? '(none)')} → ${entry.newId}.`)
      }
    }
  }
}
