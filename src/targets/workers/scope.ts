import type { LoadedConfigs } from '../../wrangler/config.ts'
import { unnamedSections, workerNames } from '../../wrangler/workers.ts'
import type { WorkerScope } from '../../replace/workers.ts'

/**
 * The Workers whose bindings keep an older certificate: those the files deploy; every Worker in the
 * account when a section binding the certificate names none, as its Worker cannot be told (fail
 * closed). `unnamed` lists those sections, for the plan's note.
 */
export function workerScope(loaded: LoadedConfigs): { scope: WorkerScope; unnamed: string[] } {
  const unnamed = unnamedSections(loaded)
  return { scope: unnamed.length === 0 ? workerNames(loaded) : 'every', unnamed }
}
