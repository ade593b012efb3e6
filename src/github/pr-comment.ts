import { GitHubError, gitHubError, nextPageUrl } from '../action/github-api.ts'
import { log } from '../action/log.ts'
import { redactSecrets } from '../action/secrets.ts'
import { errorMessage } from '../core/errors.ts'
import { escapeMarkdownCell, planMarker } from '../render/plan-table.ts'
import { pullRequestOf, type RunEvent } from './pull-request.ts'

/**
 * The plan as one comment on the pull request, kept up to date: found again by its hidden marker
 * (one per manifest), created when absent, edited only when the plan changed. Commenting is a
 * courtesy: any failure is a warning, never the step's failure.
 */

export interface PlanComment {
  /** The comment's Markdown (renderPlanMarkdown); the marker is added when missing. */
  body: string
  /** The `manifest` input: the marker names it, so that two manifests keep a comment each. */
  manifestPath: string
  /** The `github-token` input. */
  token: string
  /** Ends every request still running when it aborts. */
  signal: AbortSignal
  /** The run's event; by default the one @actions/github reads from the runner. */
  event?: RunEvent
}

export type PlanCommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; id: number }
  | { action: 'skipped'; reason: string }
  | { action: 'failed'; reason: string }

/** Pages of 100 comments read at most, looking for ours: a pull request with more is left alone. */
export const MAX_COMMENT_PAGES = 10

const PERMISSIONS = 'check that the job has permissions: pull-requests: write'

const quiet = (message: string): void => {
  log.debug(message)
}

/** Creates or updates the plan's comment on the run's pull request; says what it did. */
export async function postPlanComment(options: PlanComment): Promise<PlanCommentOutcome> {
  try {
    // Loaded here, not with the bundle, for the reason githubRunContext gives (action/run-context.ts).
    const github = await import(/* webpackMode: "eager" */ '@actions/github')
    const event = options.event ?? { name: github.context.eventName, payload: github.context.payload }
    const pull = pullRequestOf(event)
    if (!pull) return skipped(`the run is for a ${event.name || 'non-pull-request'} event, not a pull request`)
    if (event.name === 'pull_request' && pull.fork) {
      return skipped(
        'the pull request comes from a fork, whose runs get a read-only token and no secrets: the plan is in the job summary; run it with pull_request_target after review to have it commented',
      )
    }
    if (!options.token.trim()) return skipped('github-token is empty: the plan is in the job summary')
    // No `request` option: Octokit merges options shallowly, and one would replace the proxy-aware
    // fetch that @actions/github sets up. The signal goes with each request instead.
    const octokit = github.getOctokit(options.token, { log: { debug: quiet, info: quiet, warn: quiet, error: quiet } })
    const [owner = '', repo = ''] = pull.repository.split('/')
    const marker = planMarker(options.manifestPath)
    // The runner masks the log only: a comment is blanked of every registered secret, as the summary is.
    const body = redactSecrets(
      options.body.includes(marker) ? options.body : `${marker}\n${options.body}`,
      escapeMarkdownCell,
    )
    const request = { signal: options.signal }

    const existing = await findComment(octokit, { owner, repo, issue_number: pull.number }, marker, options.signal)
    if (!existing) {
      const { data } = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: pull.number,
        body,
        request,
      })
      return { action: 'created', id: data.id }
    }
    if ((existing.body ?? '').replace(/\r\n/g, '\n') === body) return { action: 'unchanged', id: existing.id }
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body, request })
    return { action: 'updated', id: existing.id }
  } catch (error) {
    const failure = gitHubError(error, PERMISSIONS)
    const reason =
      failure instanceof GitHubError
        ? `${failure.message}; ${failure.hint}`
        : `${errorMessage(failure)}; ${PERMISSIONS}`
    log.warning(`The plan could not be commented on the pull request: ${reason}. The plan is in the job summary.`)
    return { action: 'failed', reason }
  }
}

function skipped(reason: string): PlanCommentOutcome {
  log.info(`The plan is not commented on a pull request: ${reason}.`)
  return { action: 'skipped', reason }
}

interface ListedComment {
  id: number
  body?: string | null | undefined
}

/** Our comment among the pull request's (the oldest that carries the marker), following pages on GitHub's origin only. */
async function findComment(
  octokit: ReturnType<typeof import('@actions/github').getOctokit>,
  issue: { owner: string; repo: string; issue_number: number },
  marker: string,
  signal: AbortSignal,
): Promise<ListedComment | undefined> {
  let response: { data: ListedComment[]; headers: { link?: string | undefined } } =
    await octokit.rest.issues.listComments({ ...issue, per_page: 100, request: { signal } })
  for (let page = 1; ; page++) {
    const found = response.data.find((comment) => (comment.body ?? '').includes(marker))
    if (found) return found
    const next = nextPageUrl(response.headers.link)
    if (!next) return undefined
    if (page >= MAX_COMMENT_PAGES) {
      throw new Error(
        `the pull request has over ${MAX_COMMENT_PAGES * 100} comments, more than are read to find the plan's`,
      )
    }
    response = await octokit.request(`GET ${next}`, { request: { signal } })
  }
}
