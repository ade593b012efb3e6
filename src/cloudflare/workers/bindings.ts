import { isObject } from '../envelope.ts'
import type { WorkerCertificateBinding } from './answers.ts'
import { wrongShape } from './list-info.ts'

/**
 * A list of Worker bindings as Cloudflare gives them (a version's `resources.bindings`, a dispatch
 * script's bindings): the `mtls_certificate` ones kept, any binding of the wrong shape refused.
 */
export function mtlsBindingsOf(bindings: unknown, where: string): WorkerCertificateBinding[] {
  if (!Array.isArray(bindings)) throw wrongShape(`Cloudflare's answer holds no list of bindings for ${where}`)
  return bindings.flatMap((binding) => {
    if (!isObject(binding) || typeof binding.type !== 'string')
      throw wrongShape(`Cloudflare's answer holds a binding without a type for ${where}`)
    if (binding.type !== 'mtls_certificate') return []
    if (typeof binding.name !== 'string' || typeof binding.certificate_id !== 'string') {
      throw wrongShape(
        `Cloudflare's answer holds an mtls_certificate binding without a name and a certificate_id for ${where}`,
      )
    }
    return [{ name: binding.name, certificateId: binding.certificate_id }]
  })
}
