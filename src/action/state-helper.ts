import * as core from '@actions/core'

/**
 * What the main step hands to the post step. action.yml runs the same bundle for both; the runner
 * gives the post process what the main step saved (`core.saveState`) as STATE_<name> variables.
 */

const IS_POST = 'isPost'

/** True in the post step: the main step marks itself first thing, so the post step sees the mark. */
export function isPostStep(): boolean {
  return core.getState(IS_POST) === 'true'
}

/** Marks this process as the main step, for the post step that follows it. */
export function markMainStep(): void {
  core.saveState(IS_POST, 'true')
}

/** Saves `value` as JSON under `name`, for the post step. */
export function saveForPostStep(name: string, value: unknown): void {
  core.saveState(name, JSON.stringify(value))
}

/**
 * The text the main step saved under `name`; undefined when it saved none. It comes from the
 * environment, so the caller checks it before it decides anything.
 */
export function loadFromMainStep(name: string): string | undefined {
  return core.getState(name) || undefined
}
