import { isObject } from '../envelope.ts'
import { ApiError } from '../errors.ts'
import { caHostnamesPath, zoneHostnamesPath } from '../endpoints.ts'
import type { HttpRequest } from '../http.ts'
import type { Retries } from '../retry.ts'
import { isCertificateId, refusedId } from '../values.ts'

/** One zone's hostname associations, per CA (API Shield mTLS). */
export interface ZoneHostnamesClient {
  readonly zoneId: string
  /**
   * The zone's hostnames associated with this CA. `justUploaded`: an answer without a list (`result: {}`,
   * `hostnames: null`, which the OpenAPI allows) reads as none, as a CA this run uploaded can have none;
   * for any other CA it is refused, as a wrong guess would drop its hostnames.
   */
  read(certificateId: string, justUploaded?: boolean): Promise<string[]>
  /** Replaces the CA's whole list in the zone (an empty list removes them all). */
  write(certificateId: string, hostnames: readonly string[]): Promise<void>
}

/** What a zone client needs of CloudflareApi: its retries, and one request with the zone's error hints. */
export interface ZoneCalls {
  retries: Pick<Retries, 'withRetries'>
  request(method: HttpRequest['method'], path: string, body: object | undefined, zoneId: string): Promise<unknown>
}

/**
 * API Shield's hostname associations in one zone, per CA. Every request names the CA, checked
 * first: without an mtls_certificate_id, Cloudflare's calls act on the zone's managed CA.
 */
export function zoneHostnamesClient(calls: ZoneCalls, zoneId: string): ZoneHostnamesClient {
  const path = zoneHostnamesPath(zoneId)
  return {
    zoneId,
    read: (id, justUploaded = false) => {
      if (!isCertificateId(id)) return Promise.reject(refusedId(id))
      return calls.retries.withRetries(`read the hostnames of CA ${id} in zone ${zoneId}`, async () => {
        return hostnamesOf(await calls.request('GET', caHostnamesPath(zoneId, id), undefined, zoneId), justUploaded)
      })
    },
    // A write replaces the CA's whole list: repeating it after a lost answer is harmless.
    write: async (id, hostnames) => {
      if (!isCertificateId(id)) throw refusedId(id)
      await calls.retries.withRetries(`set the hostnames of CA ${id} in zone ${zoneId}`, () =>
        calls.request('PUT', path, { hostnames: [...hostnames], mtls_certificate_id: id }, zoneId),
      )
    },
  }
}

/**
 * The hostnames in a zone association answer. Anything else is refused, not read as "none": the list
 * is written back merged, and a list read wrongly as empty would drop the CA's other hostnames.
 */
export function hostnamesOf(result: unknown, justUploaded: boolean): string[] {
  const hostnames = isObject(result) ? result.hostnames : undefined
  if (justUploaded && isObject(result) && (hostnames === undefined || hostnames === null)) return []
  if (Array.isArray(hostnames) && hostnames.every((hostname) => typeof hostname === 'string')) return hostnames
  throw new ApiError("Cloudflare's answer holds no list of hostnames", 200, [], {
    retryable: false,
    outcomeUnknown: false,
  })
}
