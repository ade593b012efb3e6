import { OperationError } from '../../core/errors.ts'
import { printable } from '../../core/text.ts'
import type { CloudflareApi } from '../client.ts'
import { workerScriptsPath, workerSettingsPath } from '../endpoints.ts'
import { certificateBindingsOf, workerScriptNamesOf, type WorkerCertificateBinding } from './answers.ts'

/**
 * The Workers endpoints this action reads (permission "Account → Workers Scripts → Read"), through the
 * client's retried requests: which Workers the account has, and which certificates each one binds.
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

/** A Worker's mtls_certificate bindings; `absent` when there is no such Worker (404). */
export function workerSettings(api: CloudflareApi, name: string): Promise<WorkerCertificateBinding[] | 'absent'> {
  if (!isWorkerName(name)) {
    return Promise.reject(
      new OperationError(
        `Refused to read the settings of Worker '${printable(name)}': it is not a name Cloudflare gives a Worker`,
      ),
    )
  }
  return api.readAccount<WorkerCertificateBinding[] | 'absent'>(
    `read the bindings of Worker ${name}`,
    workerSettingsPath(api.accountId, name),
    certificateBindingsOf,
    'absent',
  )
}
