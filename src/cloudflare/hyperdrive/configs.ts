import type { CloudflareApi } from '../mtls/client.ts'
import { isObject } from '../envelope.ts'
import { hyperdriveConfigsPath } from '../endpoints.ts'
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
