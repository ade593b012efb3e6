import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { listHyperdriveConfigs } from '../cloudflare/hyperdrive/configs.ts'
import { listPagesProjects } from '../cloudflare/pages/projects.ts'
import { listWorkerScripts } from '../cloudflare/workers/scripts.ts'
import {
  listDispatchNamespaces,
  listNamespaceScripts,
  namespaceScriptBindings,
} from '../cloudflare/workers/dispatch.ts'
import { settleConcurrently } from '../core/concurrency.ts'
import { printable } from '../core/text.ts'
import { readWorkerVersions } from './worker-serving.ts'

/**
 * Each kind of consumer read from Cloudflare, as `{certificateId, description}` pairs. Any failure
 * rejects the whole kind: a consumer not read may use a certificate (the inventory fails closed).
 */

export interface Consumer {
  certificateId: string
  /** `Worker payments-production (PAYMENTS_CERT, 90 %)`, `Pages project shop (preview)`, … */
  description: string
  /**
   * A use this job can move to the new certificate: a binding of a Worker's current deployment, as
   * `<worker>\n<binding>` (its deploy moves it; a rollback target is not moved), or a Hyperdrive
   * config's (hyperdriveUse: the entry's update moves it).
   */
  deployed?: string
}

/** At most this many Workers (or namespace scripts) are read at once. */
const CONCURRENT_READS = 8

async function allSettled<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const settled = await settleConcurrently(items, CONCURRENT_READS, work)
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
  return settled.map((result) => (result as PromiseFulfilledResult<R>).value)
}

const share = (percentage: number | undefined, back: number | undefined): string =>
  percentage !== undefined
    ? `${percentage} %`
    : `a rollback target, ${back === 1 ? 'the deployment before' : `${back ?? 0} deployments back`}`

/** The key of a Hyperdrive config's use of a certificate, as `Consumer.deployed` holds it: a manifest's entry moves it. */
export const hyperdriveUse = (configId: string, role: 'client' | 'ca'): string => `hyperdrive\n${configId}\n${role}`

/** The key of a Worker's binding in its current deployment, as `Consumer.deployed` holds it. */
export const deployedBinding = (worker: string, binding: string): string => `${worker}\n${binding}`

/** The named Workers (or every Worker listed): each version of their current (and last N) deployments. */
export async function workerConsumers(
  api: CloudflareApi,
  names: readonly string[] | 'every',
  rollback: number,
): Promise<Consumer[]> {
  const workers = names === 'every' ? await listWorkerScripts(api) : names
  const read = await allSettled(workers, async (name) => ({
    name,
    serving: await readWorkerVersions(api, name, rollback),
  }))
  return read.flatMap(({ name, serving }) =>
    serving.exists
      ? serving.versions.flatMap((version) =>
          version.bindings.map((binding) => ({
            certificateId: binding.certificateId,
            description: `Worker ${printable(name)} (${printable(binding.name)}, ${share(version.percentage, version.deploymentsBack)})`,
            ...(version.percentage === undefined ? {} : { deployed: deployedBinding(name, binding.name) }),
          })),
        )
      : [],
  )
}

/** Every script of every dispatch namespace (Workers for Platforms). */
export async function dispatchConsumers(api: CloudflareApi): Promise<Consumer[]> {
  const namespaces = await listDispatchNamespaces(api)
  const scripts = (
    await allSettled(namespaces, async (namespace) =>
      (await listNamespaceScripts(api, namespace)).map((script) => ({ namespace: namespace.name, script })),
    )
  ).flat()
  const read = await allSettled(scripts, async (item) => ({
    ...item,
    bindings: await namespaceScriptBindings(api, item.namespace, item.script),
  }))
  return read.flatMap(({ namespace, script, bindings }) =>
    bindings === 'absent'
      ? []
      : bindings.map((binding) => ({
          certificateId: binding.certificateId,
          description: `dispatch namespace ${printable(namespace)}, script ${printable(script)} (${printable(binding.name)})`,
        })),
  )
}

export async function pagesConsumers(api: CloudflareApi): Promise<Consumer[]> {
  return (await listPagesProjects(api)).flatMap((project) =>
    project.bindings.map((binding) => ({
      certificateId: binding.certificateId,
      description: `Pages project ${printable(project.name)} (${binding.environment}, ${printable(binding.binding)})`,
    })),
  )
}

export async function hyperdriveConsumers(api: CloudflareApi): Promise<Consumer[]> {
  return (await listHyperdriveConfigs(api)).flatMap((config) => [
    ...(config.clientCertificateId
      ? [
          {
            certificateId: config.clientCertificateId,
            description: `Hyperdrive ${printable(config.name)} (client)`,
            deployed: hyperdriveUse(config.id, 'client'),
          },
        ]
      : []),
    ...(config.caCertificateId
      ? [
          {
            certificateId: config.caCertificateId,
            description: `Hyperdrive ${printable(config.name)} (CA)`,
            deployed: hyperdriveUse(config.id, 'ca'),
          },
        ]
      : []),
  ])
}
