import { isRecord } from '../core/record.ts'
import { SavedStateError, loadFromMainStep, saveForPostStep } from '../action/state-helper.ts'
import type { Step } from '../plan/step.ts'
import type { RetireGuard } from '../plan/target.ts'
import { STORE_CHUNK_NAMES, STORES, USES, loadStores } from '../targets/registry.ts'

/**
 * The tail of the plan the main step hands to its post step: the retire steps it scheduled for the
 * end of the job, each with its certificate's id and upload time filled in. One shape: a list of
 * steps, as the plan holds them.
 */
const SAVED_STEPS = 'end-of-job-steps'

export function saveSteps(steps: readonly Step[]): void {
  saveForPostStep(SAVED_STEPS, steps)
}

/** What the post step finds: steps to carry out, or saved text it cannot trust (then nothing is deleted). */
export type SavedSteps = { steps: Step[] } | { problem: string }

/**
 * The saved steps; undefined when the main step scheduled none. The stores that check them are loaded
 * only then: most jobs' post steps have nothing to do.
 */
export async function loadSteps(): Promise<SavedSteps | undefined> {
  let saved: string | undefined
  try {
    saved = loadFromMainStep(SAVED_STEPS)
  } catch (error) {
    // The file the state names is missing, changed, or outside RUNNER_TEMP: nothing is done on it.
    if (error instanceof SavedStateError) return { problem: error.message }
    throw error
  }
  if (saved === undefined) return undefined
  await loadStores(STORE_CHUNK_NAMES)
  return parseSteps(saved)
}

/**
 * The steps in the saved text, every field of every one checked by its store: the post step deletes
 * by them, so a field that does not read as the main step writes it gives a problem for the whole
 * list, never a step.
 */
export function parseSteps(saved: string): SavedSteps {
  let value: unknown
  try {
    value = JSON.parse(saved)
  } catch {
    return { problem: 'it is not JSON' }
  }
  if (!Array.isArray(value) || value.length === 0) return { problem: 'it is not a list of steps' }
  const steps: Step[] = []
  for (const [index, entry] of value.entries()) {
    const problem = stepProblem(entry)
    if (problem) return { problem: value.length === 1 ? problem : `step ${index + 1}: ${problem}` }
    steps.push(entry as Step)
  }
  return { steps }
}

function stepProblem(value: unknown): string | undefined {
  const store = isRecord(value) ? STORES.find((candidate) => candidate.name === value.target) : undefined
  if (!store || !isRecord(value) || value.action !== 'retire' || value.when !== 'end-of-job')
    return 'it is not a retire step for the end of the job'
  const guards = isRecord(value.data) ? value.data.guards : undefined
  if (guards !== undefined && !(Array.isArray(guards) && guards.every(isGuard)))
    return 'its guards are not targets of this action'
  return store.savedProblem(value)
}

const isGuard = (value: unknown): value is RetireGuard =>
  isRecord(value) && USES.some((use) => use.name === value.target) && 'saved' in value
