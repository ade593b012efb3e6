import { CUSTOM_TYPE } from './values.ts'

/**
 * Every Cloudflare endpoint this action calls, as paths below api-base-url, with their query
 * parameters; ids and names are checked by the caller (values.ts, workers.ts) and encoded here.
 */

export const certificatesPath = (accountId: string): string => `/accounts/${accountId}/mtls_certificates`

/** The account's own certificates: Cloudflare lists those it manages (Gateway, Access) too, unless asked not to. */
export const customCertificatesPath = (accountId: string): string =>
  `${certificatesPath(accountId)}?type=${CUSTOM_TYPE}`

export const certificatePath = (accountId: string, id: string): string =>
  `${certificatesPath(accountId)}/${encodeURIComponent(id)}`

/** One page of a certificate's associations; page 1 is asked for without the parameter (association-pages.ts). */
export const associationsPath = (accountId: string, id: string, page = 1): string =>
  `${certificatePath(accountId, id)}/associations${page === 1 ? '' : `?page=${page}`}`

/** A zone's CA hostname associations: PUT with the CA's id in the body. */
export const zoneHostnamesPath = (zoneId: string): string =>
  `/zones/${encodeURIComponent(zoneId)}/certificate_authorities/hostname_associations`

/** The zone's hostnames associated with one CA (GET); without the id, Cloudflare answers for its managed CA. */
export const caHostnamesPath = (zoneId: string, certificateId: string): string =>
  `${zoneHostnamesPath(zoneId)}?mtls_certificate_id=${encodeURIComponent(certificateId)}`

export const workerScriptsPath = (accountId: string): string => `/accounts/${accountId}/workers/scripts`

export const workerSettingsPath = (accountId: string, name: string): string =>
  `${workerScriptsPath(accountId)}/${encodeURIComponent(name)}/settings`
