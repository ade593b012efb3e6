import { savedValue } from '../../test-kit/run-action.ts'

/**
 * The main step's saved tail as the post step reads it (src/pipeline/saved-steps.ts): a list of the
 * store's retire steps for the end of the job, under one state name. Written here by hand, so that
 * the tests that hand the post step state it cannot trust do not use the code they check.
 */
export const SAVED_STEPS = 'end-of-job-steps'

export const retireSteps = (rotations: readonly object[], guards: readonly object[] = []): string =>
  JSON.stringify(
    rotations.map((rotation) => ({
      target: 'store',
      action: 'retire',
      when: 'end-of-job',
      data: { rotation, guards },
    })),
  )

interface SavedStep {
  data: { rotation: Record<string, unknown>; guards: { target: string; saved: Record<string, unknown> }[] }
}

/** The saved steps of a main step's state (in the file of RUNNER_TEMP that the state names). */
export const savedSteps = (state: Record<string, string>): SavedStep[] =>
  JSON.parse(savedValue({ state }, SAVED_STEPS) ?? '[]') as SavedStep[]
