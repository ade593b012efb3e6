import { ApiError } from '../errors.ts'
import { isObject } from '../envelope.ts'

/**
 * The Workers API's answers, as far as this action reads them: the account's scripts, and each
 * script's `mtls_certificate` bindings. Any other shape is an error, never "no Worker binds it".
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
  const pages = resultInfo?.total_pages
  if (typeof pages === 'number' && pages > 1) {
    throw wrongShape(
      `Cloudflare listed ${result.length} Workers as page 1 of ${pages}, and the others cannot be asked for, so which Workers bind a certificate is unknown`,
    )
  }
  return result.map((script) => {
    if (!isObject(script) || typeof script.id !== 'string')
      throw wrongShape("Cloudflare's answer is not a list of Worker scripts with their ids")
    return script.id
  })
}

/** `GET …/scripts/{name}/settings`: `{bindings: [{type, name, certificate_id?}, …], …}`, the mTLS ones kept. */
export function certificateBindingsOf(result: unknown): WorkerCertificateBinding[] {
  const bindings = isObject(result) ? result.bindings : undefined
  if (!Array.isArray(bindings))
    throw wrongShape("Cloudflare's answer is not a Worker's settings with a list of bindings")
  return bindings.flatMap((binding) => {
    if (!isObject(binding) || typeof binding.type !== 'string')
      throw wrongShape("Cloudflare's answer is not a list of typed bindings")
    if (binding.type !== 'mtls_certificate') return []
    if (typeof binding.name !== 'string' || typeof binding.certificate_id !== 'string') {
      throw wrongShape("Cloudflare's answer is not an mtls_certificate binding with a name and a certificate_id")
    }
    return [{ name: binding.name, certificateId: binding.certificate_id }]
  })
}
