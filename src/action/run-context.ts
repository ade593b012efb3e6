/** The GitHub Actions run a step belongs to, and the links to it. */

/** Where the run comes from, for summaries and the issue to link to. */
export interface RunContext {
  serverUrl: string
  repository?: string
  sha?: string
  runId?: number
}

/**
 * The run this step belongs to, as the runner describes it. @actions/github is loaded here, when the
 * summary is written, not with the bundle: loading it builds an HTTP client from the proxy variables,
 * and a proxy it cannot use (socks5://) would stop the step with a stack trace before the action could
 * say what is wrong. "eager" keeps it in the one bundle file.
 */
export async function githubRunContext(): Promise<RunContext> {
  const { context } = await import(/* webpackMode: "eager" */ '@actions/github')
  const repository = process.env.GITHUB_REPOSITORY ? `${context.repo.owner}/${context.repo.repo}` : undefined
  return {
    serverUrl: context.serverUrl,
    ...(repository ? { repository } : {}),
    ...(context.sha ? { sha: context.sha } : {}),
    ...(context.runId ? { runId: context.runId } : {}),
  }
}

/** The run's page; undefined outside a GitHub Actions run. */
export function runUrl(context: RunContext): string | undefined {
  return context.repository && context.runId
    ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
    : undefined
}
