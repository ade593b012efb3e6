/**
 * The run's context (repository, commit, run id) from @actions/github. Its package index also loads
 * Octokit and undici, a large share of a cold start, which only the context is needed of here; the
 * package's exports map does not list lib/context.js, so it is imported by path.
 */
export { Context } from '../node_modules/@actions/github/lib/context.js'
