import { isCertificateId, refusedId } from '../values.ts'
import { associationsPath, certificatePath, certificatesPath, customCertificatesPath } from '../endpoints.ts'
import { allAssociations, readAssociationPages, type AssociationListing } from './association-pages.ts'
import {
  certificateFrom,
  certificateOf,
  partialListing,
  type Association,
  type CertificateListing,
  type MtlsCertificate,
  type UploadBody,
  type Uploaded,
} from './answers.ts'
import type { Answer } from '../envelope.ts'
import { ApiError, CLOUDFLARE_CODES } from '../errors.ts'
import type { EarlierAttempts } from '../retry.ts'
import { CloudflareTransport } from '../transport.ts'
import { zoneHostnamesClient, type ZoneHostnamesClient } from '../zones/hostnames.ts'

/**
 * The account's mTLS certificate store and API Shield's zone hostnames: each method one endpoint,
 * through the transport's retried requests. A new endpoint is a path (endpoints.ts), a method and the
 * shape of its result.
 */
export class CloudflareApi extends CloudflareTransport {
  /**
   * The certificates listed. A partial listing only hides candidates from replace (fewer deletes), so it
   * is said, not refused; the audit, which vouches for every certificate, uses `listing` and refuses it.
   */
  async listCertificates(): Promise<MtlsCertificate[]> {
    const { certificates, partial } = await this.listing()
    if (partial) this.log.info(`${partial}; older certificates not listed are left as they are.`)
    return certificates
  }

  /** The certificates listed, and whether the answer said it holds them all. */
  listing(): Promise<CertificateListing> {
    return this.retries.withRetries("list the account's mTLS certificates", () => this.certificatesOnce())
  }

  /**
   * Uploads a certificate, never twice: when Cloudflare says the account holds it already (1471), or
   * an earlier attempt may have stored it, the listing is searched with `find` instead.
   */
  uploadCertificate(
    body: UploadBody,
    find: (certificates: readonly MtlsCertificate[]) => MtlsCertificate | undefined,
  ): Promise<Uploaded> {
    return this.retries.withRetries('upload the certificate', async (earlier: EarlierAttempts) => {
      const found = async (): Promise<Uploaded | undefined> => {
        const certificate = find((await this.certificatesOnce()).certificates)
        return certificate && { certificate, uploaded: false, afterLostAnswer: earlier.mayHaveTakenEffect }
      }
      const foundEarlier = earlier.mayHaveTakenEffect ? await found() : undefined
      if (foundEarlier) return foundEarlier
      try {
        return {
          certificate: certificateOf(await this.request('POST', certificatesPath(this.settings.accountId), body)),
          uploaded: true,
        }
      } catch (error) {
        const existing =
          error instanceof ApiError && error.hasCode(CLOUDFLARE_CODES.certificateExists) ? await found() : undefined
        if (existing) return existing
        throw error
      }
    })
  }

  deleteCertificate(id: string): Promise<void> {
    if (!isCertificateId(id)) return Promise.reject(refusedId(id))
    return this.retries.withRetries(`delete certificate ${id}`, async (earlier) => {
      try {
        await this.request('DELETE', certificatePath(this.settings.accountId, id))
      } catch (error) {
        // Gone after an attempt whose answer was lost: that attempt deleted it.
        if (earlier.mayHaveTakenEffect && error instanceof ApiError && error.notFound) return
        throw error
      }
    })
  }

  /** API Shield's hostname associations in one zone, per CA (zone-hostnames.ts). */
  zoneHostnames(zoneId: string): ZoneHostnamesClient {
    return zoneHostnamesClient({ retries: this.retries, request: (...call) => this.request(...call) }, zoneId)
  }

  /**
   * The services using the certificate, every page read; an answer of any other shape fails, and so
   * does a listing left partial (association-pages.ts), so that it never reads as "none".
   */
  async listAssociations(id: string): Promise<Association[]> {
    return allAssociations(await this.associationListing(id), id)
  }

  /** The certificate's associations as far as they were read: the audit reports a partial one as "at least". */
  associationListing(id: string): Promise<AssociationListing> {
    if (!isCertificateId(id)) return Promise.reject(refusedId(id))
    const readPage = (page: number): Promise<Answer> =>
      this.retries.withRetries(`read the associations of certificate ${id}`, () =>
        this.answer('GET', associationsPath(this.settings.accountId, id, page)),
      )
    return readAssociationPages(readPage, () => this.outOfTime())
  }

  /**
   * The certificates the user uploaded: Cloudflare lists those it manages (Gateway, Access) too, unless
   * asked not to. An answer that holds no list is an error, not an empty account: read as one, the audit
   * would report all clear.
   */
  private async certificatesOnce(): Promise<CertificateListing> {
    const { result, resultInfo } = await this.answer('GET', customCertificatesPath(this.settings.accountId))
    if (!Array.isArray(result)) {
      throw new ApiError('Cloudflare reported success but its answer holds no list of certificates', 200, [], {
        retryable: false,
        outcomeUnknown: false,
      })
    }
    const certificates = result.flatMap((value) => {
      const certificate = certificateFrom(value)
      return certificate ? [certificate] : []
    })
    const partial = partialListing(result.length, resultInfo)
    return partial ? { certificates, partial } : { certificates }
  }
}
