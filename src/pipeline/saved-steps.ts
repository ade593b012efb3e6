import { SavedStateError, loadFromMainStep, saveForPostStep } from '../action/state-helper.ts'
import { isCertificateId, isCertificateName, parseTime } from '../cloudflare/values.ts'
import type { Step } from '../plan/step.ts'
import type { RetireGuard } from '../plan/target.ts'
import { USES, storeOf } from '../targets/registry.ts'

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

/** The saved steps; undefined when the main step scheduled none. */
export function loadSteps(): SavedSteps | undefined {
  let saved: string | undefined
  try {
    saved = loadFromMainStep(SAVED_STEPS)
  } catch (error) {
    // The file the state names is missing, changed, or outside RUNNER_TEMP: nothing is done on it.
    if (error instanceof SavedStateError) return { problem: error.message }
    throw error
  }
  return saved === undefined ? undefined : parseSteps(saved)
}

/**
 * The steps in the saved text, every field of every one checked: the post step deletes what is older
 * than each, so a field that does not read as the main step writes it (an upload time that is not a
 * time makes every certificate "older") gives a problem for the whole list, never a step. The guards'
 * own fields are checked by their targets when the post step reads with them.
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
  if (!isRecord(value) || value.target !== storeOf().name || value.action !== 'retire' || value.when !== 'end-of-job')
    return 'it is not a retire step for the end of the job'
  const data = value.data
  if (!isRecord(data) || !isRecord(data.rotation)) return 'it has no certificate to rotate to'
  const { id, name, ca, issuedAt, uploadedOn } = data.rotation
  if (!isCertificateId(id)) return 'its id is not a Cloudflare certificate id'
  if (typeof name !== 'string' || !name || !isCertificateName(name))
    return 'its name is not a single line of 1 to 200 characters'
  if (typeof ca !== 'boolean') return 'its ca flag is not true or false'
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return 'its issue time is not a number'
  if (typeof uploadedOn !== 'string' || parseTime(uploadedOn) === undefined)
    return 'its upload time is not an ISO 8601 time'
  const guards = data.guards
  if (!Array.isArray(guards) || !guards.every(isGuard)) return 'its guards are not targets of this action'
  return undefined
}

const isGuard = (value: unknown): value is RetireGuard =>
  isRecord(value) && USES.some((use) => use.name === value.target) && 'saved' in value

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
