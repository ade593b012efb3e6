/** The GitHub Actions run a step belongs to, and the links to it. */

/** Where the run comes from, for summaries and the issue to link to. */
export interface RunContext {
  serverUrl: string
  repository?: string
  sha?: string
  runId?: number
}

/**
 * The run this step belongs to, from the variables the runner sets, read as @actions/github's
 * `context` reads them (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID). Not through
 * @actions/github itself: a step that uploads one certificate uses nothing else of it, and loading it
 * (Octokit, and a client built from the proxy variables) cost every such step about a tenth of its
 * start. The steps that call GitHub's API (the audit's issue, the manifest's comment) load it then.
 * A promise, as callers await it.
 */
export function githubRunContext(): Promise<RunContext> {
  const env = process.env
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const runId = Number.parseInt(env.GITHUB_RUN_ID ?? '', 10)
  return Promise.resolve({
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    ...(owner && repo ? { repository: `${owner}/${repo}` } : {}),
    ...(env.GITHUB_SHA ? { sha: env.GITHUB_SHA } : {}),
    ...(runId ? { runId } : {}),
  })
}

/** The run's page; undefined outside a GitHub Actions run. */
export function runUrl(context: RunContext): string | undefined {
  return context.repository && context.runId
    ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
    : undefined
}
