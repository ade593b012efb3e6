import { OperationError } from '../../core/errors.ts'
import { printable } from '../../core/text.ts'
import type { CloudflareApi } from '../mtls/client.ts'
import { isObject } from '../envelope.ts'
import { workerDeploymentsPath, workerVersionPath } from '../endpoints.ts'
import { isWorkerName } from './scripts.ts'
import type { WorkerCertificateBinding } from './answers.ts'
import { mtlsBindingsOf } from './bindings.ts'
import { wrongShape } from './list-info.ts'

/**
 * What a Worker serves, as wrangler reads it (permission "Workers Scripts Read"): its deployments,
 * newest first, the first being the one serving, each a split of traffic over versions; and each
 * version's bindings. `/settings` shows one version only, so it is not used for this.
 */

/** One version of a deployment and its share of traffic (0 % is still reachable by header). */
export interface DeployedVersion {
  versionId: string
  percentage: number
}

export interface WorkerDeployment {
  id: string
  versions: DeployedVersion[]
}

/** Version ids as Cloudflare gives them (UUIDs); anything else would change the URL. */
const isVersionId = (id: unknown): id is string => typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id)

const refusedName = (name: string): OperationError =>
  new OperationError(`Refused to read Worker '${printable(name)}': it is not a name Cloudflare gives a Worker`)

/** `GET …/scripts/{name}/deployments`: `{deployments: [{id, versions: [{version_id, percentage}]}]}`. */
export function deploymentsOf(result: unknown, worker: string): WorkerDeployment[] {
  const deployments = isObject(result) ? result.deployments : undefined
  if (!Array.isArray(deployments))
    throw wrongShape(`Cloudflare's answer holds no list of deployments for Worker ${worker}`)
  return deployments.map((deployment) => {
    if (!isObject(deployment) || typeof deployment.id !== 'string' || !Array.isArray(deployment.versions))
      throw wrongShape(`Cloudflare's answer holds a deployment without an id and versions for Worker ${worker}`)
    const versions = deployment.versions.map((version) => {
      const percentage = isObject(version) ? version.percentage : undefined
      if (
        !isObject(version) ||
        !isVersionId(version.version_id) ||
        typeof percentage !== 'number' ||
        !(percentage >= 0)
      )
        throw wrongShape(
          `Cloudflare's answer holds a deployed version without an id and a percentage for Worker ${worker}`,
        )
      return { versionId: version.version_id, percentage }
    })
    return { id: deployment.id, versions }
  })
}

/** A Worker's deployments, newest first; `absent` when there is no such Worker (404). */
export function workerDeployments(api: CloudflareApi, name: string): Promise<WorkerDeployment[] | 'absent'> {
  if (!isWorkerName(name)) return Promise.reject(refusedName(name))
  return api.readAccount<WorkerDeployment[] | 'absent'>(
    `read the deployments of Worker ${name}`,
    workerDeploymentsPath(api.accountId, name),
    (result) => deploymentsOf(result, name),
    'absent',
  )
}

/** `GET …/scripts/{name}/versions/{id}`: `{resources: {bindings: […]}}`, the mTLS bindings. */
export function versionBindingsOf(result: unknown, where: string): WorkerCertificateBinding[] {
  const resources = isObject(result) ? result.resources : undefined
  if (!isObject(resources)) throw wrongShape(`Cloudflare's answer holds no resources for ${where}`)
  // A version without bindings has none to list: Cloudflare leaves the field out.
  return resources.bindings === undefined ? [] : mtlsBindingsOf(resources.bindings, where)
}

/** The mtls_certificate bindings of one version of a Worker. */
export function workerVersionBindings(
  api: CloudflareApi,
  name: string,
  versionId: string,
): Promise<WorkerCertificateBinding[]> {
  if (!isWorkerName(name)) return Promise.reject(refusedName(name))
  if (!isVersionId(versionId))
    return Promise.reject(new OperationError(`Refused to read version '${printable(versionId)}' of Worker ${name}`))
  const where = `version ${versionId} of Worker ${name}`
  return api.readAccount(`read ${where}`, workerVersionPath(api.accountId, name, versionId), (result) =>
    versionBindingsOf(result, where),
  )
}
