/**
 * The audit's tracking issue: one open issue in the workflow's repository listing the certificates that
 * expire soon or have expired. Created when there are some, edited when the list changes, closed with a
 * comment when none is left. Found by its label and its marker (a hidden comment naming the account and
 * name patterns it is for), never by its title, which people may edit.
 */
import type { AuditedCertificate } from './expiry-report.ts'
import { issueMarker, renderIssue, type IssueScope } from './issue-text.ts'

export { MAX_ISSUE_ROWS, issueMarker, renderIssue, type IssueScope, type IssueText } from './issue-text.ts'
import { log } from '../action/log.ts'
import { GitHubError, gitHubError, nextPageUrl } from '../action/github-api.ts'

const quiet = (message: string): void => {
  log.debug(message)
}

const ISSUE_LABEL = 'mtls-certificate-expiry'

const PERMISSIONS_HINT = 'check that the job has permissions: issues: write.'

export type IssueOutcome =
  { action: 'created' | 'updated' | 'unchanged' | 'closed'; number: number } | { action: 'none' }

export interface IssueTracking {
  token: string
  /** Ends every request to GitHub still running when it aborts. */
  signal: AbortSignal
  /** The run, linked from the closing comment. */
  runUrl?: string
}

/** Brings the repository's tracking issue in line with the list: create, edit, close, or leave it. */
export async function syncExpiryIssue(
  certificates: readonly AuditedCertificate[],
  scope: IssueScope,
  tracking: IssueTracking,
): Promise<IssueOutcome> {
  try {
    return await syncIssue(certificates, scope, tracking)
  } catch (error) {
    throw gitHubError(error, PERMISSIONS_HINT)
  }
}

interface ListedIssue {
  number: number
  body?: string | null | undefined
  pull_request?: unknown
}

/** Open issues that carry the label, every page, each request ended by the signal. */
async function listOpenIssues(
  octokit: ReturnType<typeof import('@actions/github').getOctokit>,
  owner: string,
  repo: string,
  signal: AbortSignal,
): Promise<ListedIssue[]> {
  const issues: ListedIssue[] = []
  let response: { data: ListedIssue[]; headers: { link?: string | undefined } } = await octokit.rest.issues.listForRepo(
    {
      owner,
      repo,
      state: 'open',
      labels: ISSUE_LABEL,
      per_page: 100,
      request: { signal },
    },
  )
  for (let page = 1; ; page++) {
    issues.push(...response.data)
    const next = nextPageUrl(response.headers.link)
    if (!next) return issues
    if (page >= MAX_ISSUE_PAGES) {
      throw new GitHubError(
        `over ${MAX_ISSUE_PAGES * 100} open issues carry the label '${ISSUE_LABEL}', more than the audit reads`,
        `close the ones no audit keeps.`,
      )
    }
    response = await octokit.request(`GET ${next}`, { request: { signal } })
  }
}

/** Pages of 100 open labelled issues read at most: this audit keeps one, and others a few more. */
const MAX_ISSUE_PAGES = 10

async function syncIssue(
  certificates: readonly AuditedCertificate[],
  scope: IssueScope,
  tracking: IssueTracking,
): Promise<IssueOutcome> {
  // Loaded here, not with the bundle, for the reason githubRunContext gives (action/run-context.ts).
  const github = await import(/* webpackMode: "eager" */ '@actions/github')
  // No `request` option here: Octokit merges options shallowly, and one would replace the proxy-aware
  // fetch that @actions/github sets up. The signal goes with each request instead.
  const octokit = github.getOctokit(tracking.token, {
    // Octokit's own messages, through the sink like every line.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  })
  const request = { signal: tracking.signal }
  const { owner, repo } = github.context.repo
  const marker = issueMarker(scope)
  const open = await listOpenIssues(octokit, owner, repo, tracking.signal)
  const existing = open
    .filter((issue) => !issue.pull_request && (issue.body ?? '').includes(marker))
    .sort((a, b) => a.number - b.number)[0]

  if (certificates.length === 0) {
    if (!existing) return { action: 'none' }
    const run = tracking.runUrl ? ` ([run](${tracking.runUrl}))` : ''
    await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      request,
      body: `No certificate is left that expires within ${scope.policy.warnDays} days or has expired${run}: closing.`,
    })
    await octokit.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      state: 'closed',
      state_reason: 'completed',
      request,
    })
    return { action: 'closed', number: existing.number }
  }

  const text = renderIssue(certificates, scope)
  if (!existing) {
    const { data } = await octokit.rest.issues.create({ owner, repo, ...text, labels: [ISSUE_LABEL], request })
    // GitHub drops labels it may not set, silently; without the label, the next run would not find this issue.
    if (!data.labels.some((l) => (typeof l === 'string' ? l : l.name) === ISSUE_LABEL)) {
      log.warning(
        `Issue #${data.number} was created without the label '${ISSUE_LABEL}' (the token may not set labels): later runs will not find it, and will open another. Give the job permissions: issues: write.`,
      )
    }
    return { action: 'created', number: data.number }
  }
  // The title is set once: people may edit it (docs/audit.md), and the count in it is in the body too.
  if ((existing.body ?? '').replace(/\r\n/g, '\n') === text.body) {
    return { action: 'unchanged', number: existing.number }
  }
  await octokit.rest.issues.update({ owner, repo, issue_number: existing.number, body: text.body, request })
  return { action: 'updated', number: existing.number }
}
