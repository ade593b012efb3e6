import { InputError } from '../core/errors.ts'

/**
 * What a run reads for consumers of a certificate: which Workers, and whether Pages projects and
 * Hyperdrive configs, with how many earlier deployments of each Worker a rollback may return to.
 */

/** The kinds `check-consumers` names. */
export const CONSUMER_KINDS = ['workers', 'pages', 'hyperdrive'] as const
export type ConsumerKind = (typeof CONSUMER_KINDS)[number]

export interface ConsumerScope {
  /** The Workers read: named ones, or `every` Worker of the account with its dispatch namespaces. */
  workers: readonly string[] | 'every'
  pages: boolean
  hyperdrive: boolean
  /** Every version of each Worker's last N deployments before the current one is read too. */
  rollbackDeployments: number
}

/** The most deployments back a rollback is checked for: Cloudflare keeps the last 100 deployments. */
export const MAX_ROLLBACK_DEPLOYMENTS = 100

/**
 * `check-consumers`: one kind per line or comma-separated, `all` for every kind; empty is none. An
 * unknown word is an error naming the input and the words it takes.
 */
export function parseConsumerKinds(text: string): ConsumerKind[] {
  const words = text
    .split(/[\n,]/)
    .map((word) => word.trim().toLowerCase())
    .filter(Boolean)
  const kinds = new Set<ConsumerKind>()
  for (const word of words) {
    if (word === 'all') CONSUMER_KINDS.forEach((kind) => kinds.add(kind))
    else if ((CONSUMER_KINDS as readonly string[]).includes(word)) kinds.add(word as ConsumerKind)
    else {
      throw new InputError(
        `Input 'check-consumers' has '${word.slice(0, 40)}', which is not a kind of consumer: use workers, pages, hyperdrive or all, one per line or comma-separated.`,
      )
    }
  }
  return CONSUMER_KINDS.filter((kind) => kinds.has(kind))
}

/** Whether a scope reads anything at all. */
export const readsAnything = (scope: ConsumerScope): boolean =>
  scope.workers === 'every' || scope.workers.length > 0 || scope.pages || scope.hyperdrive

/** One scope covering several (the post step reads once for all of its rotations). */
export function combineScopes(scopes: readonly ConsumerScope[]): ConsumerScope {
  const every = scopes.some((scope) => scope.workers === 'every')
  return {
    workers: every
      ? 'every'
      : [...new Set(scopes.flatMap((scope) => (scope.workers === 'every' ? [] : scope.workers)))],
    pages: scopes.some((scope) => scope.pages),
    hyperdrive: scopes.some((scope) => scope.hyperdrive),
    rollbackDeployments: Math.max(0, ...scopes.map((scope) => scope.rollbackDeployments)),
  }
}

/** The step-wide consumer settings besides the Workers: check-consumers' other kinds, rollback-deployments. */
export interface ConsumerOptions {
  pages: boolean
  hyperdrive: boolean
  rollbackDeployments: number
}

export const NO_OTHER_CONSUMERS: ConsumerOptions = { pages: false, hyperdrive: false, rollbackDeployments: 0 }
