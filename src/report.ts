import type { CheckedCertificate } from './certificate.ts'
import type { MtlsCertificate } from './cloudflare.ts'
import type { Replacement } from './rotation.ts'
import type { Settings } from './settings.ts'

/** What replace did in this step, and what it leaves to the post step. */
export interface ReplacePlan {
  /** What replace did (or, in a dry run, would do) in this step. */
  replacements: Replacement[]
  /** The older certificates the post step will consider deleting (with end-of-job), or a dry run would. */
  candidates: string[]
}

/** What the run did, in one shape that both the outputs and the job summary are made from. */
export interface RunReport extends ReplacePlan {
  action: 'uploaded' | 'reused' | 'would upload' | 'would reuse'
  dryRun: boolean
  outputs: Outputs
  daysLeft: number
  /** Replace was asked for and goes ahead (it is skipped when the certificate is reused under another name). */
  replace: boolean
  replaceWhen: Settings['replaceWhen']
}

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
}

/** Outputs from Cloudflare's answer where there is one, from the local certificate otherwise (dry run). */
export function buildOutputs(
  settings: Settings,
  checked: CheckedCertificate,
  remote: MtlsCertificate | undefined,
  created: boolean,
  plan: ReplacePlan,
): Outputs {
  const facts = checked.facts
  return {
    'certificate-id': remote?.id ?? '',
    'expires-on': remote?.expires_on ?? facts.expiresOn,
    issuer: remote?.issuer ?? facts.issuer,
    'serial-number': remote?.serial_number ?? facts.serialNumber,
    signature: remote?.signature ?? facts.signature,
    'uploaded-on': remote?.uploaded_on ?? '',
    name: remote?.name ?? settings.name ?? '',
    ca: String(remote?.ca ?? settings.ca),
    'fingerprint-sha256': facts.fingerprintSha256,
    created: String(created),
    'replaced-ids': JSON.stringify(plan.replacements.filter((r) => r.action === 'deleted').map((r) => r.id)),
    'replace-candidates': JSON.stringify(plan.candidates),
  }
}
