import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { matchOperation, validate, validateRequest } from './openapi.ts'
import { SCRIPT_NOT_FOUND, scriptListing, type WorkerBinding } from './fake-workers.ts'

/**
 * The stand-in's consumers of certificates, in Cloudflare's shapes: Workers with deployments (newest
 * first, a split of traffic over versions) and versions, dispatch namespaces and their scripts, Pages
 * projects (production and preview), Hyperdrive configs (PATCH test-connects first). Requests to paths
 * in the OpenAPI files are validated against them; the namespaces list and a namespace's scripts list
 * are not in them, and are modelled on Cloudflare's API reference.
 */

export type EstateKind = 'workers' | 'dispatch' | 'pages' | 'hyperdrive'

export interface EstateDeployment {
  id: string
  versions: { version_id: string; percentage: number }[]
}

export interface PagesEnvironments {
  production?: Record<string, string>
  preview?: Record<string, string>
}

export interface HyperdriveMtls {
  mtls_certificate_id?: string
  ca_certificate_id?: string
}

export interface EstateAnswer {
  status: number
  payload: string
  violations: string[]
}

const envelope = (result: unknown, resultInfo?: Record<string, unknown>): string =>
  JSON.stringify({
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo ? { result_info: resultInfo } : {}),
  })
const failure = (status: number, code: number, message: string): [number, string] => [
  status,
  JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null }),
]

const mtlsBindings = (certificates: Record<string, string>): WorkerBinding[] =>
  Object.entries(certificates).map(([name, id]) => ({ type: 'mtls_certificate', name, certificate_id: id }))

const PATHS: [RegExp, string][] = [
  [/^\/accounts\/([^/]+)\/workers\/scripts$/, 'scripts'],
  [/^\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/deployments$/, 'deployments'],
  [/^\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/versions\/([^/]+)$/, 'version'],
  [/^\/accounts\/([^/]+)\/workers\/dispatch\/namespaces$/, 'namespaces'],
  [/^\/accounts\/([^/]+)\/workers\/dispatch\/namespaces\/([^/]+)\/scripts$/, 'namespace-scripts'],
  [/^\/accounts\/([^/]+)\/workers\/dispatch\/namespaces\/([^/]+)\/scripts\/([^/]+)\/bindings$/, 'namespace-bindings'],
  [/^\/accounts\/([^/]+)\/pages\/projects$/, 'pages'],
  [/^\/accounts\/([^/]+)\/hyperdrive\/configs$/, 'hyperdrive'],
  [/^\/accounts\/([^/]+)\/hyperdrive\/configs\/([^/]+)$/, 'hyperdrive-config'],
]

export class FakeEstate {
  /** Per Worker, its deployments, newest first; a Worker only in `workers` has one, of one version at 100 %. */
  readonly deployments = new Map<string, EstateDeployment[]>()
  /** Per Worker, its versions' bindings by version id. */
  readonly versions = new Map<string, Map<string, WorkerBinding[]>>()
  /** Per dispatch namespace, its scripts' bindings. */
  readonly namespaces = new Map<string, Map<string, WorkerBinding[]>>()
  readonly pagesProjects = new Map<string, PagesEnvironments>()
  readonly hyperdriveConfigs = new Map<string, { name: string; mtls?: HyperdriveMtls }>()
  /** Hyperdrive configs whose database refuses the next mTLS settings (PATCH answers Cloudflare's error). */
  readonly failingConnections = new Set<string>()
  /** Kinds whose reads answer 403, as for a token without their permission. */
  readonly forbidden = new Set<EstateKind>()
  /** How the scripts list describes itself: whole, one Worker left out with a count above, or a page marker as text. */
  scriptsListing: 'whole' | 'count-above' | 'pages-as-text' = 'whole'
  /** Pages projects and Hyperdrive configs per page. */
  perPage = 10

  private readonly accountId: string
  /** The stand-in's Workers (name → bindings), as `fake.workers.set` keeps them. */
  private readonly workers: Map<string, WorkerBinding[]>
  private readonly workersForbidden: () => boolean

  constructor(accountId: string, workers: Map<string, WorkerBinding[]>, workersForbidden: () => boolean) {
    this.accountId = accountId
    this.workers = workers
    this.workersForbidden = workersForbidden
  }

  /**
   * Deploys versions of a Worker as one new deployment (`wrangler versions deploy`): each with its
   * certificate bindings and percentage. Returns the new versions' ids.
   */
  deployVersions(name: string, split: { certificates: Record<string, string>; percentage: number }[]): string[] {
    const versions = this.versions.get(name) ?? new Map<string, WorkerBinding[]>()
    this.versions.set(name, versions)
    const ids = split.map(({ certificates }) => {
      const id = randomUUID()
      versions.set(id, mtlsBindings(certificates))
      return id
    })
    this.deployExisting(
      name,
      ids.map((id, index) => ({ versionId: id, percentage: split[index]?.percentage ?? 0 })),
    )
    return ids
  }

  /** A new deployment of versions the Worker already has (a rollback, or a new split). */
  deployExisting(name: string, split: { versionId: string; percentage: number }[]): void {
    const deployment = {
      id: randomUUID(),
      versions: split.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
    }
    this.deployments.set(name, [deployment, ...(this.deployments.get(name) ?? [])])
    const top = [...split].sort((a, b) => b.percentage - a.percentage)[0]
    this.workers.set(name, top ? [...(this.versions.get(name)?.get(top.versionId) ?? [])] : [])
  }

  /** A script of a dispatch namespace, with its certificate bindings. */
  dispatchScript(namespace: string, script: string, certificates: Record<string, string> = {}): void {
    const scripts = this.namespaces.get(namespace) ?? new Map<string, WorkerBinding[]>()
    this.namespaces.set(namespace, scripts)
    scripts.set(script, mtlsBindings(certificates))
  }

  reset(): void {
    for (const map of [this.deployments, this.versions, this.namespaces, this.pagesProjects, this.hyperdriveConfigs])
      map.clear()
    this.failingConnections.clear()
    this.forbidden.clear()
    this.scriptsListing = 'whole'
    this.perPage = 10
  }

  /** The kind of a request this models, or undefined (the stand-in routes it). */
  handles(method: string, path: string): boolean {
    return PATHS.some(([pattern]) => pattern.test(path)) && (method === 'GET' || method === 'PATCH')
  }

  route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
    headers: IncomingMessage['headers'],
  ): EstateAnswer {
    const found = matchOperation(method, path)
    // The 2024 description lists only the global key for Pages; Cloudflare takes API tokens with
    // "Cloudflare Pages Read" there too, as for every other account endpoint.
    const matched =
      found && found.template.includes('/pages/')
        ? {
            ...found,
            operation: { ...found.operation, security: [{ api_token: [] }, ...(found.operation.security ?? [])] },
          }
        : found
    const rest = new URLSearchParams(query)
    // Page numbers: Cloudflare's list endpoints take them though the 2024 description names none.
    rest.delete('page')
    const [checkedBody, mtlsProblems] = withoutMtls(matched?.template ?? '', body)
    const violations = [
      ...mtlsProblems.map((p) => `${method} ${matched?.template ?? path}: ${p}`),
      ...(matched
        ? validateRequest(matched, headers, checkedBody, rest).map((p) => `${method} ${matched.template}: ${p}`)
        : []),
    ]
    if (violations.length > 0) return { status: 400, payload: failure(400, 1001, violations.join('; '))[1], violations }
    const [status, payload] = this.answer(method, path, query, body)
    return { status, payload, violations }
  }

  private answer(method: string, path: string, query: URLSearchParams, body: string): [number, string] {
    const found = PATHS.map(([pattern, kind]) => [pattern.exec(path), kind] as const).find(([match]) => match)
    if (!found || !found[0]) return failure(404, 7000, 'No route for that URI')
    const [match, kind] = found
    const [, accountId, first = '', second = ''] = match.map((part) => decodeURIComponent(part))
    if (accountId !== this.accountId)
      return failure(403, 7003, 'Could not route to /accounts, perhaps your object identifier is invalid?')
    const family: EstateKind = kind.startsWith('namespace')
      ? 'dispatch'
      : kind.startsWith('hyperdrive')
        ? 'hyperdrive'
        : kind === 'pages'
          ? 'pages'
          : 'workers'
    if (this.forbidden.has(family) || (family !== 'pages' && family !== 'hyperdrive' && this.workersForbidden()))
      return failure(403, 10000, 'Authentication error')
    const page = Number(query.get('page') ?? '1')
    switch (`${method} ${kind}`) {
      case 'GET scripts':
        return this.scripts()
      case 'GET deployments':
        return this.workerDeployments(first)
      case 'GET version':
        return this.version(first, second)
      case 'GET namespaces':
        return [
          200,
          envelope([...this.namespaces.entries()].map(([name, scripts]) => namespaceListing(name, scripts.size))),
        ]
      case 'GET namespace-scripts': {
        const scripts = this.namespaces.get(first)
        if (!scripts) return failure(404, 100119, 'dispatch namespace not found')
        return [
          200,
          envelope(
            [...scripts.keys()].map((id) => ({
              id,
              created_on: '2025-01-01T00:00:00Z',
              modified_on: '2025-01-02T00:00:00Z',
            })),
          ),
        ]
      }
      case 'GET namespace-bindings': {
        const bindings = this.namespaces.get(first)?.get(second)
        return bindings ? [200, envelope(bindings)] : failure(404, SCRIPT_NOT_FOUND.code, SCRIPT_NOT_FOUND.message)
      }
      case 'GET pages':
        return this.paged(
          [...this.pagesProjects.entries()].map(([name, envs]) => pagesProject(name, envs)),
          page,
        )
      case 'GET hyperdrive':
        return this.paged(
          [...this.hyperdriveConfigs.entries()].map(([id, c]) => hyperdriveConfig(id, c.name, c.mtls)),
          page,
        )
      case 'GET hyperdrive-config': {
        const config = this.hyperdriveConfigs.get(first)
        return config
          ? [200, envelope(hyperdriveConfig(first, config.name, config.mtls))]
          : failure(404, 2001, 'Hyperdrive config not found')
      }
      case 'PATCH hyperdrive-config':
        return this.patchHyperdrive(first, body)
      default:
        return failure(405, 10405, 'Method not allowed')
    }
  }

  private scripts(): [number, string] {
    const names = [...this.workers.keys()]
    if (this.scriptsListing === 'count-above')
      return [200, envelope(names.slice(1).map(scriptListing), { count: names.length - 1, total_count: names.length })]
    if (this.scriptsListing === 'pages-as-text')
      return [200, envelope(names.map(scriptListing), { page: 1, total_pages: '2' })]
    return [200, envelope(names.map(scriptListing))]
  }

  /** The Worker's deployments; one of one version at 100 % for a Worker set in `workers` only. */
  private workerDeployments(name: string): [number, string] {
    const bindings = this.workers.get(name)
    const own = this.deployments.get(name)
    if (!own && !bindings) return failure(404, SCRIPT_NOT_FOUND.code, SCRIPT_NOT_FOUND.message)
    const deployments = own ?? [
      { id: `deployment-${name}`, versions: [{ version_id: implicitVersion(name), percentage: 100 }] },
    ]
    return [
      200,
      envelope({
        deployments: deployments.map((d, index) => ({
          ...d,
          created_on: new Date(Date.UTC(2025, 0, 30 - index)).toISOString(),
          source: 'wrangler',
          strategy: 'percentage',
          annotations: { 'workers/triggered_by': 'deployment' },
          author_email: 'dev@example.com',
        })),
      }),
    ]
  }

  private version(name: string, versionId: string): [number, string] {
    const bindings =
      this.versions.get(name)?.get(versionId) ??
      (versionId === implicitVersion(name) ? this.workers.get(name) : undefined)
    if (!bindings) return failure(404, 10211, 'version not found')
    return [
      200,
      envelope({
        id: versionId,
        number: 1,
        metadata: {
          author_email: 'dev@example.com',
          created_on: '2025-01-01T00:00:00Z',
          source: 'wrangler',
          hasPreview: false,
        },
        resources: {
          bindings: [...bindings],
          script: { etag: `etag-${versionId}`, handlers: ['fetch'] },
          script_runtime: { compatibility_date: '2025-01-01', compatibility_flags: [], usage_model: 'standard' },
        },
      }),
    ]
  }

  private paged(items: unknown[], page: number): [number, string] {
    const totalPages = Math.max(1, Math.ceil(items.length / this.perPage))
    const slice = items.slice((page - 1) * this.perPage, page * this.perPage)
    return [
      200,
      envelope(slice, {
        page,
        per_page: this.perPage,
        count: slice.length,
        total_count: items.length,
        total_pages: totalPages,
      }),
    ]
  }

  /** PATCH {mtls}: Hyperdrive test-connects with the new settings first, and refuses what fails. */
  private patchHyperdrive(id: string, body: string): [number, string] {
    const config = this.hyperdriveConfigs.get(id)
    if (!config) return failure(404, 2001, 'Hyperdrive config not found')
    const mtls = (JSON.parse(body || '{}') as { mtls?: HyperdriveMtls }).mtls
    if (mtls && this.failingConnections.has(id))
      return failure(
        400,
        2011,
        'Failed to connect to the database: TLS handshake failed (the server rejected the client certificate)',
      )
    if (mtls) config.mtls = { ...config.mtls, ...mtls }
    return [200, envelope(hyperdriveConfig(id, config.name, config.mtls))]
  }
}

/** Hyperdrive's `mtls`, newer than the 2024 description: checked against the SDK's fields (x-sdk-supplement-2026). */
const MTLS_SCHEMA = {
  type: 'object',
  properties: {
    ca_certificate_id: { type: 'string' },
    mtls_certificate_id: { type: 'string' },
    sslmode: { type: 'string', enum: ['require', 'verify-ca', 'verify-full'] },
  },
}

/** A Hyperdrive PATCH body without its `mtls` (checked here), for the 2024 description to check the rest. */
function withoutMtls(template: string, body: string): [string, string[]] {
  if (!template.startsWith('/accounts/{account_id}/hyperdrive/configs/') || !body) return [body, []]
  try {
    const { mtls, ...rest } = JSON.parse(body) as Record<string, unknown>
    if (mtls === undefined) return [body, []]
    return [JSON.stringify(rest), validate(mtls, MTLS_SCHEMA, 'body.mtls')]
  } catch {
    return [body, []]
  }
}

const implicitVersion = (name: string): string =>
  `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`

function namespaceListing(name: string, scripts: number): Record<string, unknown> {
  return {
    namespace_id: `ns-${name}`,
    namespace_name: name,
    created_on: '2025-01-01T00:00:00Z',
    created_by: 'dev',
    modified_on: '2025-01-02T00:00:00Z',
    modified_by: 'dev',
    script_count: scripts,
  }
}

function pagesProject(name: string, envs: PagesEnvironments): Record<string, unknown> {
  const config = (certificates: Record<string, string> | undefined): Record<string, unknown> => ({
    compatibility_date: '2025-01-01',
    env_vars: {},
    ...(certificates
      ? {
          mtls_certificates: Object.fromEntries(
            Object.entries(certificates).map(([b, id]) => [b, { certificate_id: id }]),
          ),
        }
      : {}),
  })
  return {
    id: `project-${name}`,
    name,
    subdomain: `${name}.pages.dev`,
    domains: [`${name}.pages.dev`],
    production_branch: 'main',
    created_on: '2025-01-01T00:00:00Z',
    deployment_configs: { production: config(envs.production), preview: config(envs.preview) },
  }
}

function hyperdriveConfig(id: string, name: string, mtls: HyperdriveMtls | undefined): Record<string, unknown> {
  return {
    id,
    name,
    origin: { host: 'db.example.com', port: 5432, database: 'orders', scheme: 'postgres', user: 'app' },
    caching: { disabled: false },
    ...(mtls ? { mtls: { ...mtls, sslmode: 'verify-full' } } : {}),
  }
}
