import type { InputSource } from '../action/input-source.ts'
import { parseBoolean } from '../action/input-parsers.ts'
import { postPlanFailure } from './pr-comment.ts'
import { runEventOf } from './pull-request.ts'

/** How long commenting a failure may take: the step's own timeout input may be what failed. */
const COMMENT_TIMEOUT_MS = 60_000

/**
 * A step that failed before its plan was commented: with pr-comment on, the comment says
 * so for this commit, with the error, rather than keep an earlier plan standing as if current.
 */
export async function commentPlanFailure(source: InputSource, error: unknown, now: Date): Promise<void> {
  // Without a manifest, the single step's inputs: the marker the plan's own comment has then.
  const manifestPath = source.input('manifest').trim() || 'inputs'
  let enabled = false
  try {
    enabled = parseBoolean('pr-comment', source.input('pr-comment').trim(), false)
  } catch {
    // pr-comment itself is what failed: no comment was asked for in a form that can be trusted.
  }
  if (!enabled) return
  await postPlanFailure({
    error,
    manifestPath,
    token: source.input('github-token'),
    signal: AbortSignal.timeout(COMMENT_TIMEOUT_MS),
    event: runEventOf(source.env),
    now,
  })
}
