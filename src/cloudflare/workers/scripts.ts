import type { CloudflareApi } from '../mtls/client.ts'
import { workerScriptsPath } from '../endpoints.ts'
import { workerScriptNamesOf } from './answers.ts'

/**
 * The Workers endpoints this action reads (permission "Account → Workers Scripts → Read"), through the
 * client's retried requests: which Workers the account has, (what each serves is read from its deployments: workers/deployments.ts).
 */

/**
 * A Worker's name as Cloudflare takes it (letters, digits, `-` and `_`; at most 255): anything else
 * would change the URL it goes into, and is refused before any request.
 */
export const isWorkerName = (name: string): boolean => /^[A-Za-z0-9_-]{1,255}$/.test(name)

/** The names of the account's Workers. */
export function listWorkerScripts(api: CloudflareApi): Promise<string[]> {
  return api.readAccount("list the account's Workers", workerScriptsPath(api.accountId), workerScriptNamesOf)
}
