import type { CloudflareApi } from '../mtls/client.ts'
import { isObject } from '../envelope.ts'
import { dispatchNamespacesPath, namespaceScriptBindingsPath, namespaceScriptsPath } from '../endpoints.ts'
import { isWorkerName } from './scripts.ts'
import type { WorkerCertificateBinding } from './answers.ts'
import { mtlsBindingsOf } from './bindings.ts'
import { listEnd, partialList, wrongShape } from './list-info.ts'

/**
 * Workers for Platforms: scripts in a dispatch namespace are not in the account's scripts list, and
 * bind store certificates too. The namespaces list and a namespace's scripts list are not in the
 * OpenAPI file this project checks against (cloudflare-estate-openapi.json); they are modelled on
 * Cloudflare's API reference: `[{namespace_name, script_count, …}]` and `[{id, …}]`, single pages.
 */

export interface DispatchNamespace {
  name: string
  /** What Cloudflare counts in it: a script list with fewer is partial. */
  scriptCount?: number
}

/** `GET …/workers/dispatch/namespaces`. */
export function namespacesOf(result: unknown, info: Record<string, unknown> | undefined): DispatchNamespace[] {
  if (!Array.isArray(result)) throw wrongShape("Cloudflare's answer is not a list of dispatch namespaces")
  const end = listEnd(info, 1, result.length)
  if (!('whole' in end)) throw partialList('dispatch namespaces', 'partial' in end ? end.partial : 'pages left')
  return result.map((namespace) => {
    if (!isObject(namespace) || typeof namespace.namespace_name !== 'string' || !isWorkerName(namespace.namespace_name))
      throw wrongShape("Cloudflare's answer is not a list of dispatch namespaces with their names")
    const count = namespace.script_count
    if (count !== undefined && count !== null && typeof count !== 'number')
      throw wrongShape(
        `Cloudflare's answer counts the scripts of namespace ${namespace.namespace_name} as ${JSON.stringify(count)}`,
      )
    return { name: namespace.namespace_name, ...(typeof count === 'number' ? { scriptCount: count } : {}) }
  })
}

/** `GET …/dispatch/namespaces/{ns}/scripts`: the scripts' names (`id`); fewer than the namespace counts is partial. */
export function namespaceScriptsOf(
  result: unknown,
  info: Record<string, unknown> | undefined,
  namespace: DispatchNamespace,
): string[] {
  if (!Array.isArray(result))
    throw wrongShape(`Cloudflare's answer is not a list of the scripts of namespace ${namespace.name}`)
  const what = `scripts of dispatch namespace ${namespace.name}`
  const end = listEnd(info, 1, result.length)
  if (!('whole' in end)) throw partialList(what, 'partial' in end ? end.partial : 'pages left')
  if (namespace.scriptCount !== undefined && namespace.scriptCount > result.length)
    throw partialList(what, `the namespace counts ${namespace.scriptCount} and ${result.length} came`)
  return result.map((script) => {
    if (!isObject(script) || typeof script.id !== 'string' || !isWorkerName(script.id))
      throw wrongShape(`Cloudflare's answer is not a list of the ${what} with their names`)
    return script.id
  })
}

export function listDispatchNamespaces(api: CloudflareApi): Promise<DispatchNamespace[]> {
  return api.readAccount("list the account's dispatch namespaces", dispatchNamespacesPath(api.accountId), namespacesOf)
}

export function listNamespaceScripts(api: CloudflareApi, namespace: DispatchNamespace): Promise<string[]> {
  return api.readAccount(
    `list the scripts of dispatch namespace ${namespace.name}`,
    namespaceScriptsPath(api.accountId, namespace.name),
    (result, info) => namespaceScriptsOf(result, info, namespace),
  )
}

/** The mtls_certificate bindings of a namespace's script; `absent` when it is gone (404). */
export function namespaceScriptBindings(
  api: CloudflareApi,
  namespace: string,
  script: string,
): Promise<WorkerCertificateBinding[] | 'absent'> {
  const where = `script ${script} of dispatch namespace ${namespace}`
  return api.readAccount<WorkerCertificateBinding[] | 'absent'>(
    `read the bindings of ${where}`,
    namespaceScriptBindingsPath(api.accountId, namespace, script),
    (result) => mtlsBindingsOf(result, where),
    'absent',
  )
}
