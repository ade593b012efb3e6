import { readFileSync } from 'node:fs'

/**
 * The pull request a run is for, from the event's payload: its number, and whether it comes from a
 * fork, to which GitHub passes no secrets and a read-only token.
 */

export interface RunEvent {
  /** GITHUB_EVENT_NAME: `pull_request`, `pull_request_target`, `push`, … */
  name: string
  /** The event's payload (GITHUB_EVENT_PATH), as @actions/github reads it. */
  payload: Record<string, unknown>
}

export interface PullRequest {
  number: number
  /** owner/name of the repository the pull request is on. */
  repository: string
  /** The head branch is in another repository. */
  fork: boolean
  /**
   * The commit planned: the head's SHA from the payload (`pull_request.head.sha`); GITHUB_SHA is the
   * merge commit GitHub made for the run. Undefined when the payload holds no SHA.
   */
  headSha?: string
}

/** A Git object name: SHA-1, or SHA-256 in a repository that uses it. */
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined

/** The pull request of a pull_request or pull_request_target run; undefined for any other event. */
export function pullRequestOf(event: RunEvent): PullRequest | undefined {
  if (!PULL_REQUEST_EVENTS.has(event.name)) return undefined
  const pull = event.payload.pull_request
  const number = field(pull, 'number')
  const repository = field(event.payload.repository, 'full_name')
  if (typeof number !== 'number' || typeof repository !== 'string') return undefined
  const head = field(field(field(pull, 'head'), 'repo'), 'full_name')
  const sha = field(field(pull, 'head'), 'sha')
  return {
    number,
    repository,
    fork: head !== repository,
    ...(typeof sha === 'string' && SHA.test(sha) ? { headSha: sha } : {}),
  }
}

/** Why a fork's pull_request run cannot plan: said in place of the error about empty credentials. */
export const FORK_NO_SECRETS =
  'pull requests from forks get no secrets: the plan cannot read the account; run it on push or with pull_request_target after review'

/**
 * On a pull_request run from a fork with no Cloudflare credentials, the explanation to give instead
 * of failing on them; undefined otherwise (the ordinary error then says what to set).
 */
export function forkWithoutSecrets(event: RunEvent, credentialsEmpty: boolean): string | undefined {
  const pull = pullRequestOf(event)
  return credentialsEmpty && event.name === 'pull_request' && pull?.fork ? FORK_NO_SECRETS : undefined
}

/** The run's event as the runner describes it (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH); an unreadable payload reads as empty. */
export function runEventOf(env: Readonly<Record<string, string | undefined>>): RunEvent {
  let payload: Record<string, unknown> = {}
  try {
    const parsed: unknown = env.GITHUB_EVENT_PATH ? JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : {}
    if (typeof parsed === 'object' && parsed !== null) payload = parsed as Record<string, unknown>
  } catch {
    // No payload: not a pull request, as far as this step can tell.
  }
  return { name: env.GITHUB_EVENT_NAME ?? '', payload }
}
