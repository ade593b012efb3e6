import { ApiError } from '../errors.ts'
import { isObject } from '../envelope.ts'
import { listEnd, partialList } from './list-info.ts'

/**
 * The Workers API's answers, as far as this action reads them: the account's scripts, and the
 * `mtls_certificate` bindings read elsewhere (workers/). Any other shape is an error, never "no Worker binds it".
 */

/** An `mtls_certificate` binding of a Worker: its name on `env`, and the certificate it presents. */
export interface WorkerCertificateBinding {
  name: string
  certificateId: string
}

const wrongShape = (message: string): ApiError =>
  new ApiError(message, 200, [], { retryable: false, outcomeUnknown: false })

/**
 * `GET /accounts/{a}/workers/scripts`: `[{id, …}]`, the id being the script's name. A list that
 * `result_info` says goes on past this page is refused too: a Worker not seen could bind a certificate.
 */
export function workerScriptNamesOf(result: unknown, resultInfo?: Record<string, unknown>): string[] {
  if (!Array.isArray(result)) throw wrongShape("Cloudflare's answer is not a list of Worker scripts")
  // Any sign of more (pages left, a count above what came, a marker of another type) refuses the list.
  const end = listEnd(resultInfo, 1, result.length)
  if ('partial' in end) throw partialList('Workers', end.partial)
  if ('nextPage' in end) {
    throw wrongShape(
      `Cloudflare listed ${result.length} Workers as page 1 of ${String(resultInfo?.total_pages)}, and the others cannot be asked for, so which Workers bind a certificate is unknown`,
    )
  }
  return result.map((script) => {
    if (!isObject(script) || typeof script.id !== 'string')
      throw wrongShape("Cloudflare's answer is not a list of Worker scripts with their ids")
    return script.id
  })
}
