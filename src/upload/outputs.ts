import { NO_REPLACE } from '../replace/policy.ts'
import type { CertificateResult } from './result.ts'

/** The action's outputs, keyed by their names in action.yml. */
export interface Outputs {
  'certificate-id': string
  'expires-on': string
  issuer: string
  'serial-number': string
  signature: string
  'uploaded-on': string
  name: string
  ca: string
  'fingerprint-sha256': string
  created: string
  'replaced-ids': string
  'replace-candidates': string
  hostnames: string
  'wrangler-configs': string
}

/** Outputs from Cloudflare's answer where there is one, from the local certificate otherwise (dry run). */
export function buildOutputs(
  result: Pick<CertificateResult, 'spec' | 'checked' | 'certificate' | 'created'> &
    Partial<Pick<CertificateResult, 'outcome' | 'attachment' | 'wrangler'>>,
): Outputs {
  const { spec, checked, certificate: remote, created } = result
  const outcome = result.outcome ?? NO_REPLACE
  const facts = checked.facts
  return {
    'certificate-id': remote?.id ?? '',
    'expires-on': remote?.expires_on ?? facts.expiresOn,
    issuer: remote?.issuer ?? facts.issuer,
    'serial-number': remote?.serial_number ?? facts.serialNumber,
    signature: remote?.signature ?? facts.signature,
    'uploaded-on': remote?.uploaded_on ?? '',
    name: remote?.name ?? spec.name ?? '',
    ca: String(remote?.ca ?? spec.ca),
    'fingerprint-sha256': facts.fingerprintSha256,
    created: String(created),
    'replaced-ids': JSON.stringify(outcome.replacements.filter((r) => r.action === 'deleted').map((r) => r.id)),
    'replace-candidates': JSON.stringify(outcome.candidates),
    hostnames: JSON.stringify(result.attachment?.after ?? []),
    'wrangler-configs': JSON.stringify(result.wrangler?.written ?? []),
  }
}
