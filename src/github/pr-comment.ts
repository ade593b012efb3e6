import { GitHubError, gitHubError, nextPageUrl, tokenLogin } from '../action/github-api.ts'
import { log } from '../action/log.ts'
import { runUrl } from '../action/run-context.ts'
import { redactSecrets } from '../action/secrets.ts'
import { errorMessage } from '../core/errors.ts'
import {
  failureCommentBody,
  framedBody,
  planCommentBody,
  withoutTime,
  type CommentFrame,
  type FailedEntry,
} from '../render/comment-body.ts'
import { codeSpanContent } from '../render/markdown.ts'
import { planMarker, type PlanRow } from '../render/plan-table.ts'
import { pullRequestOf, type PullRequest, type RunEvent } from './pull-request.ts'

/**
 * The plan as one comment on the pull request, kept true: found again by its hidden marker (one per
 * manifest) among the comments the token's own identity wrote, created when absent, edited when the
 * plan or the commit changed, and edited to say so when the plan failed. Commenting is a courtesy:
 * a failure is a warning, never the step's failure; but a refused edit never leaves the old plan
 * standing unmarked when GitHub takes a shorter one.
 */

interface CommentTarget {
  /** The `manifest` input: the marker names it, so that two manifests keep a comment each. */
  manifestPath: string
  /** The `github-token` input. */
  token: string
  /** Ends every request still running when it aborts. */
  signal: AbortSignal
  /** The run's event; by default the one @actions/github reads from the runner. */
  event?: RunEvent
  /** When the plan was made (the step's clock); now by default. */
  now?: Date
  /** The run's page, for the whole plan; by default the one the runner describes (GITHUB_SERVER_URL, GITHUB_RUN_ID). */
  runUrl?: string
}

export interface PlanComment extends CommentTarget {
  /** The plan's rows; the comment renders them, cut to GitHub's limit. */
  rows?: readonly PlanRow[]
  /** The entries whose plan failed, listed in the comment. */
  failed?: readonly FailedEntry[]
  /** Before rows: the plan already rendered (renderPlanMarkdown); used, framed, when rows is not given. */
  body?: string
}

export interface PlanFailure extends CommentTarget {
  /** Why the plan failed; its message goes into the comment, each registered secret blanked. */
  error: unknown
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

type Github = typeof import('@actions/github')
type Octokit = ReturnType<Github['getOctokit']>

/** Creates or updates the plan's comment on the run's pull request; says what it did. */
export function postPlanComment(options: PlanComment): Promise<PlanCommentOutcome> {
  return writeComment(options, (frame) =>
    options.rows === undefined && options.body !== undefined
      ? framedBody(options.body, frame)
      : planCommentBody(options.rows ?? [], options.failed ?? [], frame),
  )
}

/** Edits the plan's comment (or makes one) to say that the plan failed for this commit, with the error. */
export function postPlanFailure(options: PlanFailure): Promise<PlanCommentOutcome> {
  return writeComment(options, (frame) => failureCommentBody(errorMessage(options.error), frame))
}

async function writeComment(
  target: CommentTarget,
  render: (frame: CommentFrame) => string,
): Promise<PlanCommentOutcome> {
  try {
    // Loaded here, as a chunk of dist/ of its own: a step that makes no comment does not load Octokit,
    // and a client it cannot build from the proxy variables (socks5://) fails only the comment.
    const github = await import('@actions/github')
    const event = target.event ?? { name: github.context.eventName, payload: github.context.payload }
    const pull = pullRequestOf(event)
    if (!pull) return skipped(`the run is for a ${event.name || 'non-pull-request'} event, not a pull request`)
    if (event.name === 'pull_request' && pull.fork) {
      return skipped(
        'the pull request comes from a fork, whose runs get a read-only token and no secrets: the plan is in the job summary; run it with pull_request_target after review to have it commented',
      )
    }
    if (!target.token.trim()) return skipped('github-token is empty: the plan is in the job summary')
    // No `request` option: Octokit merges options shallowly, and one would replace the proxy-aware
    // fetch that @actions/github sets up. The signal goes with each request instead.
    const octokit = github.getOctokit(target.token, { log: { debug: quiet, info: quiet, warn: quiet, error: quiet } })
    const frame = frameOf(target, pull, github)
    // Every cell is blanked of registered secrets as it is rendered; the whole body once more, as the summary is.
    const body = redactSecrets(render(frame), codeSpanContent)
    return await upsert(octokit, pull, target, body, frame)
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

function frameOf(target: CommentTarget, pull: PullRequest, github: Github): CommentFrame {
  const serverUrl = github.context.serverUrl
  const run = target.runUrl ?? runUrl({ serverUrl, repository: pull.repository, runId: github.context.runId })
  return {
    manifestPath: target.manifestPath,
    commit: pull.headSha,
    commitUrl: pull.headSha && `${serverUrl}/${pull.repository}/commit/${pull.headSha}`,
    at: target.now ?? new Date(),
    runUrl: run,
  }
}

async function upsert(
  octokit: Octokit,
  pull: PullRequest,
  target: CommentTarget,
  body: string,
  frame: CommentFrame,
): Promise<PlanCommentOutcome> {
  const [owner = '', repo = ''] = pull.repository.split('/')
  const issue = { owner, repo, issue_number: pull.number }
  const request = { signal: target.signal }
  const login = await tokenLogin(() => octokit.rest.users.getAuthenticated({ request }))
  const existing = await findComment(octokit, issue, planMarker(target.manifestPath), login, target.signal)
  if (existing && withoutTime(existing.body ?? '') === withoutTime(body))
    return { action: 'unchanged', id: existing.id }
  try {
    if (!existing) {
      const { data } = await octokit.rest.issues.createComment({ ...issue, body, request })
      return { action: 'created', id: data.id }
    }
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body, request })
    return { action: 'updated', id: existing.id }
  } catch (error) {
    if (!(error instanceof Error && 'status' in error && error.status === 422)) throw error
    // Refused as it is (too long, by a count of GitHub's own): a short comment says so, rather than
    // the earlier plan standing as if current. The warning says it either way.
    const refused = `GitHub refused the plan's comment (HTTP 422: ${errorMessage(error)}); the whole plan is in the run's summary`
    const short = redactSecrets(failureCommentBody(refused, frame), codeSpanContent)
    if (existing)
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: short, request })
    else await octokit.rest.issues.createComment({ ...issue, body: short, request })
    throw new GitHubError(
      `GitHub refused the plan's comment (HTTP 422: ${errorMessage(error)})`,
      'the comment now says so, and the plan is in the job summary.',
      { cause: error },
    )
  }
}

function skipped(reason: string): PlanCommentOutcome {
  log.info(`The plan is not commented on a pull request: ${reason}.`)
  return { action: 'skipped', reason }
}

interface ListedComment {
  id: number
  body?: string | null | undefined
  user?: { login?: string } | null | undefined
}

/**
 * Our comment among the pull request's: the oldest the token's own identity wrote that carries the
 * marker (another author's copy of the marker is left alone), following pages on GitHub's origin only.
 */
async function findComment(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
  marker: string,
  login: string,
  signal: AbortSignal,
): Promise<ListedComment | undefined> {
  const ours = (comment: ListedComment): boolean =>
    (comment.body ?? '').includes(marker) && comment.user?.login?.toLowerCase() === login.toLowerCase()
  let response: { data: ListedComment[]; headers: { link?: string | undefined } } =
    await octokit.rest.issues.listComments({ ...issue, per_page: 100, request: { signal } })
  for (let page = 1; ; page++) {
    const found = response.data.find(ours)
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
