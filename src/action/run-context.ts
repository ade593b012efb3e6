/** The GitHub Actions run a step belongs to, and the links to it. */
import { errorMessage } from '../core/errors.ts'
import { log } from './log.ts'

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
 * say what is wrong. "eager" keeps it in the one bundle file. It only decorates the summary, which is
 * written after the step's work is done: a failure to load it is a warning, and the summary goes
 * without the run's links.
 */
export async function githubRunContext(): Promise<RunContext> {
  let context: typeof import('@actions/github').context
  try {
    ;({ context } = await import(/* webpackMode: "eager" */ '@actions/github'))
  } catch (error) {
    log.warning(
      `The summary leaves out the links to this run: @actions/github, which reads them, could not be loaded (${errorMessage(error)}). It builds a client from HTTPS_PROXY, HTTP_PROXY and NO_PROXY, for GITHUB_API_URL: check that they hold http:// or https:// proxy URLs. The step's own work is not affected.`,
    )
    return { serverUrl: process.env.GITHUB_SERVER_URL || 'https://github.com' }
  }
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
