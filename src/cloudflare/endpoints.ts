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

// --- Consumers of a certificate (issue 29): Workers deployments and versions, Workers for Platforms,
// Pages projects, Hyperdrive configs. Names are checked by the callers; ids encoded here.

const scriptPath = (accountId: string, name: string): string =>
  `${workerScriptsPath(accountId)}/${encodeURIComponent(name)}`

/** A Worker's deployments, newest first: the first is the one serving. */
export const workerDeploymentsPath = (accountId: string, name: string): string =>
  `${scriptPath(accountId, name)}/deployments`

/** One version of a Worker, with its bindings (`resources.bindings`). */
export const workerVersionPath = (accountId: string, name: string, versionId: string): string =>
  `${scriptPath(accountId, name)}/versions/${encodeURIComponent(versionId)}`

/** The account's dispatch namespaces (Workers for Platforms); not in the OpenAPI file, see Cloudflare's docs. */
export const dispatchNamespacesPath = (accountId: string): string =>
  `/accounts/${accountId}/workers/dispatch/namespaces`

/** The scripts of one dispatch namespace; not in the OpenAPI file either. */
export const namespaceScriptsPath = (accountId: string, namespace: string): string =>
  `${dispatchNamespacesPath(accountId)}/${encodeURIComponent(namespace)}/scripts`

/** The bindings of one script of a dispatch namespace. */
export const namespaceScriptBindingsPath = (accountId: string, namespace: string, name: string): string =>
  `${namespaceScriptsPath(accountId, namespace)}/${encodeURIComponent(name)}/bindings`

/** One page of the account's Pages projects; page 1 is asked for without the parameter. */
export const pagesProjectsPath = (accountId: string, page = 1): string =>
  `/accounts/${accountId}/pages/projects${page === 1 ? '' : `?page=${page}`}`

/** One page of the account's Hyperdrive configs; page 1 is asked for without the parameter. */
export const hyperdriveConfigsPath = (accountId: string, page = 1): string =>
  `/accounts/${accountId}/hyperdrive/configs${page === 1 ? '' : `?page=${page}`}`

/** One Hyperdrive config: GET, and PATCH `{mtls}` (Hyperdrive test-connects with it first). */
export const hyperdriveConfigPath = (accountId: string, id: string): string =>
  `/accounts/${accountId}/hyperdrive/configs/${encodeURIComponent(id)}`

// --- Access mTLS (Zero Trust) and Authenticated Origin Pulls: src/cloudflare/access/, src/cloudflare/origin-pull/.

/** Where an Access certificate lives: the account, or one zone. */
export type AccessOwner = { accountId: string } | { zoneId: string }

const ownerPath = (owner: AccessOwner): string =>
  'zoneId' in owner ? `/zones/${encodeURIComponent(owner.zoneId)}` : `/accounts/${encodeURIComponent(owner.accountId)}`

/** One page of the Access certificates (`page`, `per_page`: Cloudflare's V4 paging). */
export const accessCertificatesPath = (owner: AccessOwner, page?: number, perPage?: number): string =>
  `${ownerPath(owner)}/access/certificates${page === undefined ? '' : `?page=${page}&per_page=${perPage ?? 50}`}`

export const accessCertificatePath = (owner: AccessOwner, id: string): string =>
  `${accessCertificatesPath(owner)}/${encodeURIComponent(id)}`

/** Zone-level Authenticated Origin Pulls: the zone's client certificates (list, POST). */
export const originPullPath = (zoneId: string): string => `/zones/${encodeURIComponent(zoneId)}/origin_tls_client_auth`

export const originPullCertificatePath = (zoneId: string, id: string): string =>
  `${originPullPath(zoneId)}/${encodeURIComponent(id)}`

/** Whether zone-level Authenticated Origin Pulls is on (GET, PUT `{enabled}`). */
export const originPullSettingsPath = (zoneId: string): string => `${originPullPath(zoneId)}/settings`

/** Per-hostname Authenticated Origin Pulls: assignments (PUT `{config}`). */
export const hostnameOriginPullPath = (zoneId: string): string => `${originPullPath(zoneId)}/hostnames`

/** One hostname's assignment (GET). */
export const hostnameOriginPullAssignmentPath = (zoneId: string, hostname: string): string =>
  `${hostnameOriginPullPath(zoneId)}/${encodeURIComponent(hostname)}`

/** Per-hostname client certificates (list, POST). */
export const hostnameOriginCertificatesPath = (zoneId: string): string =>
  `${hostnameOriginPullPath(zoneId)}/certificates`

export const hostnameOriginCertificatePath = (zoneId: string, id: string): string =>
  `${hostnameOriginCertificatesPath(zoneId)}/${encodeURIComponent(id)}`
