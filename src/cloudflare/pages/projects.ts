import type { CloudflareApi } from '../mtls/client.ts'
import { isObject } from '../envelope.ts'
import { pagesProjectsPath } from '../endpoints.ts'
import { readAllPages, wrongShape } from '../workers/list-info.ts'

/**
 * Pages projects (permission "Pages Read"): Pages Functions bind store certificates per environment,
 * `deployment_configs.{production,preview}.mtls_certificates.{BINDING}.certificate_id`.
 */

export type PagesEnvironment = 'production' | 'preview'

export interface PagesBinding {
  environment: PagesEnvironment
  binding: string
  certificateId: string
}

export interface PagesProject {
  name: string
  bindings: PagesBinding[]
}

const ENVIRONMENTS: readonly PagesEnvironment[] = ['production', 'preview']

/** One project of the list; an environment without mTLS bindings binds none, any other shape is refused. */
export function pagesProjectOf(value: unknown): PagesProject {
  if (!isObject(value) || typeof value.name !== 'string')
    throw wrongShape("Cloudflare's answer is not a list of Pages projects with their names")
  const name = value.name
  const configs = value.deployment_configs
  if (configs !== undefined && configs !== null && !isObject(configs))
    throw wrongShape(`Cloudflare's answer holds deployment_configs of Pages project ${name} that are not an object`)
  const bindings = ENVIRONMENTS.flatMap((environment) => {
    const config = isObject(configs) ? configs[environment] : undefined
    if (config === undefined || config === null) return []
    if (!isObject(config)) throw wrongShape(`Pages project ${name}'s ${environment} configuration is not an object`)
    const certificates = config.mtls_certificates
    if (certificates === undefined || certificates === null) return []
    if (!isObject(certificates))
      throw wrongShape(`Pages project ${name}'s ${environment} mtls_certificates are not an object`)
    return Object.entries(certificates).map(([binding, entry]) => {
      if (!isObject(entry) || typeof entry.certificate_id !== 'string')
        throw wrongShape(`Pages project ${name}'s ${environment} binding ${binding} has no certificate_id`)
      return { environment, binding, certificateId: entry.certificate_id }
    })
  })
  return { name, bindings }
}

/** Every Pages project of the account, every page read; a list that may be partial is an error. */
export function listPagesProjects(api: CloudflareApi): Promise<PagesProject[]> {
  return readAllPages('Pages projects', (page) =>
    api.readAccount(
      `list the account's Pages projects (page ${page})`,
      pagesProjectsPath(api.accountId, page),
      (result, info) => {
        if (!Array.isArray(result)) throw wrongShape("Cloudflare's answer is not a list of Pages projects")
        return { items: result.map(pagesProjectOf), info }
      },
    ),
  )
}
