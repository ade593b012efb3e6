import { registerSecret } from '../action/secrets.ts'
import { checkCertificate, type CheckedCertificate } from '../certificate/check.ts'
import type { CertificateSpec } from '../certificate/spec.ts'

/**
 * The local checks of one spec, as every step runs them: the decrypted (PKCS#8) key they make is a
 * form of the key the action made, so it is masked here, before anything can log or send it.
 */
export function checkAndMask(
  spec: CertificateSpec,
  context: { now: Date; expiryWarningDays: number },
): CheckedCertificate {
  const checked = checkCertificate(spec, context)
  if (checked.privateKeyPem) registerSecret(checked.privateKeyPem)
  return checked
}
