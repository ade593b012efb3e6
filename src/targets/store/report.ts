import type { CheckedCertificate } from '../../certificate/check.ts'
import type { CertificateSpec } from '../../certificate/spec.ts'
import type { Cell, Report } from '../../core/report.ts'
import type { Step } from '../../plan/step.ts'
import type { Placement } from './placement.ts'
import type { Placed } from './place.ts'

/** The account store's placement as the plan, the summary, the outputs and the log show it. */

const REUSED = 'same certificate already in the account'

export function reportPlace(
  step: Step<Placement>,
  placed: Placed | undefined,
  entry: { spec: CertificateSpec; checked: CheckedCertificate },
): Report {
  const plan = step.data
  const certificate = placed?.certificate ?? (plan.kind === 'reuse' ? plan.certificate : undefined)
  const uploaded = placed ? placed.created : plan.kind === 'upload'
  const warning = placed ? placed.warning : plan.kind === 'reuse' ? plan.warning : undefined
  const lines: Report['lines'] = warning ? [{ level: 'warning', parts: [warning] }] : []
  const verb = (verb: 'upload' | 'reuse'): Cell => ({ verb, done: placed !== undefined, form: 'past' })
  if (placed?.created) {
    const expires = placed.certificate.expires_on ?? entry.checked.facts.expiresOn
    lines.push({
      level: 'info',
      parts: [verb('upload'), ` certificate ${placed.certificate.id}, expiring ${expires}.`],
    })
  } else if (placed) {
    const on = placed.certificate.uploaded_on ?? 'earlier'
    lines.push({
      level: 'info',
      parts: [
        `The account already holds this certificate as ${placed.certificate.id} (uploaded ${on}): nothing uploaded.`,
      ],
    })
  } else if (certificate) {
    lines.push({
      level: 'info',
      parts: [verb('reuse'), ` certificate ${certificate.id}: the account already holds it.`],
    })
  } else {
    lines.push({ level: 'info', parts: [verb('upload'), ' the certificate: the account does not hold it yet.'] })
  }
  const id = certificate ? { id: certificate.id } : {}
  return {
    rows: [
      uploaded
        ? { name: '', action: 'upload', ...id }
        : warning
          ? { name: '', action: 'rename', ...id, reason: warning }
          : { name: '', action: 'reuse', ...id, reason: REUSED },
    ],
    lines,
    sections: [],
    outputs: placementOutputs(entry, certificate, placed?.created ?? false),
  }
}

/** Outputs from Cloudflare's answer where there is one, from the local certificate otherwise (a dry run). */
function placementOutputs(
  { spec, checked }: { spec: CertificateSpec; checked: CheckedCertificate },
  remote: Placed['certificate'] | undefined,
  created: boolean,
): Record<string, string> {
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
  }
}
