import { InputError } from '../../core/errors.ts'
import { printable } from '../../core/text.ts'
import { isWorkerName } from '../../cloudflare/workers/scripts.ts'
import type { LoadedConfigs } from '../../wrangler/config.ts'
import { unnamedSections, workerNames } from '../../wrangler/workers.ts'
import type { WorkerScope } from '../../replace/workers.ts'

/**
 * The Workers whose bindings keep an older certificate: those the files deploy; every Worker in the
 * account when a section binding the certificate names none, as its Worker cannot be told (fail
 * closed). `unnamed` lists those sections, for the plan's note. A name that is no Worker name is bad
 * input, said before anything is written: the retire's guard could not be read back with it.
 */
export function workerScope(loaded: LoadedConfigs): { scope: WorkerScope; unnamed: string[] } {
  for (const config of loaded) {
    const bad = workerNames([config]).find((name) => !isWorkerName(name))
    if (bad !== undefined) {
      throw new InputError(
        `Wrangler file '${printable(config.target.config)}' deploys a Worker named '${printable(bad)}', which is not a Worker name (1 to 255 letters, digits, - and _): wrangler cannot deploy it, and which certificates it binds cannot be read. Fix its name (or the env's name, or the env's key: a Worker of an env without a name is <name>-<env>).`,
      )
    }
  }
  const unnamed = unnamedSections(loaded)
  return { scope: unnamed.length === 0 ? workerNames(loaded) : 'every', unnamed }
}
