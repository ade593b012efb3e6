import type { HostnameAttachment } from '../api-shield/zone.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import type { MtlsCertificate } from '../cloudflare/answers.ts'
import type { ReplacePlan } from '../replace/policy.ts'
import type { Settings } from './settings.ts'

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
  settings: Settings,
  checked: CheckedCertificate,
  remote: MtlsCertificate | undefined,
  created: boolean,
  plan: ReplacePlan,
  hostnames?: HostnameAttachment,
  /** The Wrangler configurations this step changed (writeBindingEdits). */
  wranglerConfigs: readonly string[] = [],
): Outputs {
  const facts = checked.facts
  return {
    'certificate-id': remote?.id ?? '',
    'expires-on': remote?.expires_on ?? facts.expiresOn,
    issuer: remote?.issuer ?? facts.issuer,
    'serial-number': remote?.serial_number ?? facts.serialNumber,
    signature: remote?.signature ?? facts.signature,
    'uploaded-on': remote?.uploaded_on ?? '',
    name: remote?.name ?? settings.certificate.name ?? '',
    ca: String(remote?.ca ?? settings.certificate.ca),
    'fingerprint-sha256': facts.fingerprintSha256,
    created: String(created),
    'replaced-ids': JSON.stringify(plan.replacements.filter((r) => r.action === 'deleted').map((r) => r.id)),
    'replace-candidates': JSON.stringify(plan.candidates),
    hostnames: JSON.stringify(hostnames?.hostnames ?? []),
    'wrangler-configs': JSON.stringify(wranglerConfigs),
  }
}
