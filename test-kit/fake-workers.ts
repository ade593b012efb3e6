/**
 * The stand-in's Workers endpoints, in Cloudflare's shapes (workers-script list and script settings in
 * its OpenAPI): `GET /accounts/{a}/workers/scripts` and `GET /accounts/{a}/workers/scripts/{name}/settings`.
 */

/** A Worker binding as the settings call answers it; only `mtls_certificate` ones matter here. */
export type WorkerBinding =
  | { type: 'mtls_certificate'; name: string; certificate_id: string }
  | { type: 'plain_text'; name: string; text: string }

const SCRIPTS_PATH = /^\/accounts\/([^/]+)\/workers\/scripts(?:\/([^/]+)\/settings)?$/

/** Whether a request path is one of the Workers calls; the account id and script name when it is. */
export function matchWorkersPath(path: string): { accountId: string; script?: string } | undefined {
  const match = SCRIPTS_PATH.exec(path)
  if (!match) return undefined
  const [, accountId = '', script] = match
  return script === undefined ? { accountId } : { accountId, script: decodeURIComponent(script) }
}

/** A script as the listing describes it (`id` is its name). */
export function scriptListing(name: string): Record<string, unknown> {
  return {
    id: name,
    etag: `etag-${name}`,
    handlers: ['fetch'],
    created_on: '2025-01-01T00:00:00.000000Z',
    modified_on: '2025-01-02T00:00:00.000000Z',
    usage_model: 'standard',
    compatibility_date: '2025-01-01',
    has_assets: false,
    has_modules: true,
    logpush: false,
  }
}

/** A script's settings: its bindings, and the fields around them that a reader must not trip over. */
export function scriptSettings(bindings: readonly WorkerBinding[]): Record<string, unknown> {
  return {
    bindings: [...bindings],
    compatibility_date: '2025-01-01',
    compatibility_flags: [],
    logpush: false,
    placement: {},
    tail_consumers: [],
    usage_model: 'standard',
    observability: { enabled: false },
  }
}

export const SCRIPT_NOT_FOUND = { code: 10007, message: 'workers.api.error.script_not_found' }
