import { CUSTOM_TYPE } from './values.ts'

/** Cloudflare's endpoints this action calls, as paths below api-base-url; ids are checked by the caller. */

export const certificatesPath = (accountId: string): string => `/accounts/${accountId}/mtls_certificates`

/** The account's own certificates: Cloudflare lists those it manages (Gateway, Access) too, unless asked not to. */
export const customCertificatesPath = (accountId: string): string =>
  `${certificatesPath(accountId)}?type=${CUSTOM_TYPE}`

export const certificatePath = (accountId: string, id: string): string =>
  `${certificatesPath(accountId)}/${encodeURIComponent(id)}`

export const associationsPath = (accountId: string, id: string): string =>
  `${certificatePath(accountId, id)}/associations`

export const zoneHostnamesPath = (zoneId: string): string =>
  `/zones/${encodeURIComponent(zoneId)}/certificate_authorities/hostname_associations`
