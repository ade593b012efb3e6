import type { CloudflareApi } from '../mtls/client.ts'
import { isObject } from '../envelope.ts'
import { hyperdriveConfigPath, hyperdriveConfigsPath } from '../endpoints.ts'
import { readAllPages, wrongShape } from '../workers/list-info.ts'

/**
 * Hyperdrive configs (permission "Hyperdrive Read"): a config connects to its database with the
 * store's certificates, `mtls.mtls_certificate_id` (the client) and `mtls.ca_certificate_id` (the CA
 * it verifies the database with), fields of Cloudflare's SDK newer than its 2024 OpenAPI.
 */

export interface HyperdriveConfig {
  id: string
  name: string
  clientCertificateId?: string
  caCertificateId?: string
}

const optionalText = (value: unknown, what: string): string | undefined => {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw wrongShape(`Cloudflare's answer holds a ${what} that is not text`)
  return value
}

/** One config of the list; a config without `mtls` uses no store certificate. */
export function hyperdriveConfigOf(value: unknown): HyperdriveConfig {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.name !== 'string')
    throw wrongShape("Cloudflare's answer is not a list of Hyperdrive configs with their ids and names")
  const config: HyperdriveConfig = { id: value.id, name: value.name }
  const mtls = value.mtls
  if (mtls === undefined || mtls === null) return config
  if (!isObject(mtls)) throw wrongShape(`Hyperdrive config ${value.name}'s mtls is not an object`)
  const client = optionalText(mtls.mtls_certificate_id, `Hyperdrive config ${value.name}'s mtls_certificate_id`)
  const ca = optionalText(mtls.ca_certificate_id, `Hyperdrive config ${value.name}'s ca_certificate_id`)
  if (client) config.clientCertificateId = client
  if (ca) config.caCertificateId = ca
  return config
}

/** Every Hyperdrive config of the account, every page read; a list that may be partial is an error. */
export function listHyperdriveConfigs(api: CloudflareApi): Promise<HyperdriveConfig[]> {
  return readAllPages('Hyperdrive configs', (page) =>
    api.readAccount(
      `list the account's Hyperdrive configs (page ${page})`,
      hyperdriveConfigsPath(api.accountId, page),
      (result, info) => {
        if (!Array.isArray(result)) throw wrongShape("Cloudflare's answer is not a list of Hyperdrive configs")
        return { items: result.map(hyperdriveConfigOf), info }
      },
    ),
  )
}

/** One config as it is now; an answer of another shape is an error. */
export function readHyperdriveConfig(api: CloudflareApi, id: string): Promise<HyperdriveConfig> {
  return api.readAccount(`read Hyperdrive config ${id}`, hyperdriveConfigPath(api.accountId, id), hyperdriveConfigOf)
}

/**
 * Points a config's mTLS at a store certificate: the client's (`mtls_certificate_id`) or the CA's
 * (`ca_certificate_id`); the other field is sent as it is, so that it is kept. Hyperdrive test-connects
 * to the database first and refuses what fails, with its message; the config then stays as it was.
 * Setting the same id again is harmless, so a retry after a lost answer is too.
 */
export async function setHyperdriveCertificate(
  api: CloudflareApi,
  config: HyperdriveConfig,
  role: 'client' | 'ca',
  id: string,
): Promise<HyperdriveConfig> {
  const mtls = {
    ...(config.clientCertificateId ? { mtls_certificate_id: config.clientCertificateId } : {}),
    ...(config.caCertificateId ? { ca_certificate_id: config.caCertificateId } : {}),
    ...(role === 'client' ? { mtls_certificate_id: id } : { ca_certificate_id: id }),
  }
  const { result } = await api.call(
    `set the mTLS certificate of Hyperdrive config ${config.name}`,
    'PATCH',
    hyperdriveConfigPath(api.accountId, config.id),
    { mtls },
  )
  return hyperdriveConfigOf(result)
}
