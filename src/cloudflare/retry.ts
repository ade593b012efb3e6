import type { Clock } from '../core/clock.ts'
import { QUIET, type ApiLog } from './dependencies.ts'
import { OperationError, errorMessage } from '../core/errors.ts'
import { ApiError, TransportError } from './errors.ts'
import { joinSentences, plural } from '../core/text.ts'

/** How often and for how long an API operation is tried: max-retries and timeout-seconds. */
interface RetryPolicy {
  maxRetries: number
  timeoutSeconds: number
}

/** What the attempts before this one leave behind. */
export interface EarlierAttempts {
  /**
   * An earlier attempt failed in a way that may still have changed the account (its answer was lost,
   * or was a server error to a write): look before writing again.
   */
  mayHaveTakenEffect: boolean
}

export interface Backoff {
  baseDelayMs: number
  maxDelayMs: number
}

const DEFAULT_BACKOFF: Readonly<Backoff> = { baseDelayMs: 500, maxDelayMs: 15_000 }
/** One attempt may not take the whole budget, so a hung connection still leaves room to retry. */
const ATTEMPT_TIMEOUT_MS = 30_000

/**
 * Retries on transient failures, within one time budget (timeout-seconds) for the whole run that
 * starts with the first request. One instance per run; every request takes its signal from here.
 */
export class Retries {
  private deadline?: { at: number; signal: AbortSignal }
  private readonly policy: RetryPolicy
  private readonly clock: Clock

  private readonly log: ApiLog

  constructor(policy: RetryPolicy, clock: Clock, log: ApiLog = QUIET) {
    this.policy = policy
    this.clock = clock
    this.log = log
  }

  /**
   * The signal for one request: it aborts when the attempt or the whole budget runs out, with the
   * TransportError that says which. Throws that error at once when the budget is already spent.
   */
  attemptSignal(): AbortSignal {
    const deadline = this.startDeadline()
    if (deadline.signal.aborted) throw deadline.signal.reason
    const attempt = timeoutSignal(
      ATTEMPT_TIMEOUT_MS,
      () =>
        new TransportError(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`, {
          mayHaveReachedServer: true,
          timedOut: true,
        }),
    )
    return AbortSignal.any([deadline.signal, attempt])
  }

  /** When the time budget runs out (it starts now, if no request has started it). */
  deadlineAt(): number {
    return this.startDeadline().at
  }

  /** Runs `attempt` until it succeeds, fails for good, runs out of attempts or out of time. */
  async withRetries<T>(operation: string, attempt: (earlier: EarlierAttempts) => Promise<T>): Promise<T> {
    const attempts = this.policy.maxRetries + 1
    const earlier: EarlierAttempts = { mayHaveTakenEffect: false }
    for (let number = 1; ; number++) {
      try {
        return await attempt({ ...earlier })
      } catch (error) {
        earlier.mayHaveTakenEffect ||= outcomeUnknown(error)
        const reason = errorMessage(error)
        const withHint = (text: string): string =>
          error instanceof ApiError && error.hint ? joinSentences(text, error.hint) : text
        const tried = number > 1 ? ` after ${plural(number, 'attempt')}` : ''
        if (!isRetryable(error)) {
          throw new OperationError(withHint(`Could not ${operation}${tried}: ${reason}`), { cause: error })
        }
        if (number >= attempts) {
          throw new OperationError(
            withHint(
              `Could not ${operation}: ${attempts === 1 ? 'the only attempt (max-retries is 0)' : `all ${attempts} attempts`} failed; the last one got ${reason}`,
            ),
            { cause: error },
          )
        }
        const deadline = this.startDeadline()
        const wait =
          (error instanceof ApiError ? error.retryAfterMs : undefined) ??
          backoffDelay(number, DEFAULT_BACKOFF, () => this.clock.random())
        const remaining = deadline.at - this.clock.now()
        if (wait >= remaining) {
          throw new OperationError(
            `Could not ${operation} within timeout-seconds (${this.policy.timeoutSeconds} s): attempt ${number} got ${reason}, and the next attempt starts only after the time runs out (${formatSeconds(wait)} wait, ${formatSeconds(Math.max(0, remaining))} left)`,
            { cause: error },
          )
        }
        this.log.info(
          `Attempt ${number} of ${attempts} to ${operation} got ${reason}; retrying in ${formatSeconds(wait)}.`,
        )
        await this.clock.sleep(wait, deadline.signal)
      }
    }
  }

  /** The time budget (timeout-seconds) started and is spent: no further request can run. */
  outOfTime(): boolean {
    return this.deadline !== undefined && (this.deadline.signal.aborted || this.clock.now() >= this.deadline.at)
  }

  private startDeadline(): { at: number; signal: AbortSignal } {
    const budgetMs = this.policy.timeoutSeconds * 1000
    this.deadline ??= {
      at: this.clock.now() + budgetMs,
      signal: timeoutSignal(
        budgetMs,
        () =>
          new TransportError(`no answer within timeout-seconds (${this.policy.timeoutSeconds} s)`, {
            mayHaveReachedServer: true,
            timedOut: true,
            budgetExhausted: true,
          }),
      ),
    }
    return this.deadline
  }
}

/** A signal that aborts after `ms` with the error `reason` makes; its timer does not keep the process alive. */
function timeoutSignal(ms: number, reason: () => TransportError): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => {
    controller.abort(reason())
  }, ms).unref()
  return controller.signal
}

function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return error.retryable
  if (error instanceof TransportError) return !error.budgetExhausted && !error.permanent
  return false
}

/** Whether a failed attempt may have changed the account. */
function outcomeUnknown(error: unknown): boolean {
  if (error instanceof TransportError) return error.mayHaveReachedServer
  if (error instanceof ApiError) return error.outcomeUnknown
  return false
}

const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so that parallel
 * jobs spread out but no wait collapses to zero. `retry` counts from 1.
 */
export function backoffDelay(retry: number, policy: Readonly<Backoff>, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.round(step / 2 + (step / 2) * random())
}
