import { leafFingerprint } from './certificate.ts'
import {
  CERTIFICATE_EXISTS,
  outcomeUnknown,
  type CloudflareApi,
  type MtlsCertificate,
  type UploadBody,
} from './cloudflare.ts'
import { ApiError } from './errors.ts'

export interface UploadOutcome {
  certificate: MtlsCertificate
  /** True when this run put the certificate into the account. */
  created: boolean
}

/** Allowance for the runner's clock running ahead of Cloudflare's, when judging who uploaded a certificate. */
const CLOCK_SKEW_MS = 5 * 60_000

/**
 * Uploads the certificate, never twice: a first upload is one request; when Cloudflare says the
 * certificate exists (1471), or an attempt failed in a way that may have stored it, the account's
 * certificates are looked up and the one with our leaf is adopted instead.
 */
export async function uploadOrAdopt(
  api: CloudflareApi,
  body: UploadBody,
  fingerprint: string,
  runStartedAt: number,
): Promise<UploadOutcome> {
  let mayHaveUploaded = false
  // After an attempt whose outcome is unknown, a certificate found is ours only if it was uploaded during this run.
  const adopted = (certificate: MtlsCertificate): UploadOutcome => ({
    certificate,
    created: mayHaveUploaded && !(Date.parse(certificate.uploaded_on ?? '') < runStartedAt - CLOCK_SKEW_MS),
  })
  return api.retrying('upload the certificate', async () => {
    if (mayHaveUploaded) {
      const existing = findByLeaf(await api.listOnce(), fingerprint)
      if (existing) return adopted(existing)
    }
    try {
      return { certificate: await api.uploadOnce(body), created: true }
    } catch (error) {
      if (error instanceof ApiError && error.hasCode(CERTIFICATE_EXISTS)) {
        const existing = findByLeaf(await api.listOnce(), fingerprint)
        if (existing) return adopted(existing)
      }
      mayHaveUploaded ||= outcomeUnknown(error)
      throw error
    }
  })
}

/** The account's certificate whose leaf is ours, compared by the certificate itself, not its name. */
export function findByLeaf(certificates: readonly MtlsCertificate[], fingerprint: string): MtlsCertificate | undefined {
  return certificates.find(
    (certificate) =>
      certificate.certificates !== undefined && leafFingerprint(certificate.certificates) === fingerprint,
  )
}
