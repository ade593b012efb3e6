import type { CheckedCertificate } from '../../certificate/check.ts'
import type { CertificateSpec } from '../../certificate/spec.ts'
import type { MtlsCertificate, UploadBody } from '../../cloudflare/mtls/answers.ts'
import { InputError } from '../../core/errors.ts'
import { findByLeaf } from './upload.ts'

/**
 * Where the certificate stands after the step, planned (pure): `reuse` of what the account's listing
 * holds, or `upload`. Without a listing (a real run of one certificate), `upload`: one POST, which
 * adopts the certificate when Cloudflare says it holds it already.
 */
export type Placement =
  | { kind: 'upload'; body: UploadBody }
  | { kind: 'reuse'; certificate: MtlsCertificate; mayReplace: boolean; warning?: string }

export function planPlacement(
  spec: CertificateSpec,
  checked: CheckedCertificate,
  listing: readonly MtlsCertificate[] | undefined,
): Placement {
  const found = listing && findByLeaf(listing, checked.facts.fingerprintSha256)
  if (!found) return { kind: 'upload', body: uploadBody(spec, checked) }
  return { kind: 'reuse', certificate: found, ...judgeExisting(found, spec) }
}

function uploadBody(spec: CertificateSpec, checked: CheckedCertificate): UploadBody {
  const body: UploadBody = { ca: spec.ca, certificates: checked.certificatesPem }
  if (spec.name) body.name = spec.name
  if (checked.privateKeyPem) body.private_key = checked.privateKeyPem
  return body
}

/**
 * The account holds our leaf already, uploaded earlier (perhaps by hand). With the other `ca` flag it
 * cannot serve this workflow, and Cloudflare refuses a second copy: an InputError. Under another name
 * it is reused, with a warning, and `replace` is skipped: removing the older certificates named
 * `name` leaves none under that name.
 */
export function judgeExisting(
  existing: MtlsCertificate,
  spec: CertificateSpec,
): { mayReplace: true } | { mayReplace: false; warning: string } {
  if (existing.ca !== undefined && existing.ca !== spec.ca) {
    throw new InputError(
      `The account already holds this certificate as ${existing.id}, uploaded with ca: ${existing.ca}, and Cloudflare keeps one copy of a certificate. To use it with ca: ${spec.ca}, delete ${existing.id} first, or set ca: ${existing.ca}.`,
    )
  }
  if (!spec.name || existing.name === spec.name) return { mayReplace: true }
  return {
    mayReplace: false,
    warning: `The account already holds this certificate as ${existing.id} named '${existing.name ?? ''}', not '${spec.name}': it is reused as it is${spec.replace ? `, and replace is skipped, as removing the older certificates named '${spec.name}' leaves none under that name` : ''}. Rename it in the dashboard, or delete it and re-run, to have it under '${spec.name}'.`,
  }
}
