import { run } from '../../src/main.ts'
import type { ActionRun, RunOptions } from '../../test-kit/run-action.ts'
import { runInProcess } from './run-in-process.ts'

/**
 * The main and post steps run from source in the test process, with the same inputs, files and output
 * reading as `runAction` and `runPostStep` (test-kit/run-action.ts), which start the committed bundle.
 * For end-to-end cases whose behaviour does not depend on the bundle: each file keeps cases through
 * dist/ for what it proves, and these spare the others a process start each (most of a case's cost).
 */
export const mainStep = (inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> =>
  runInProcess(run, inputs, options)

export const postStep = (
  inputs: Record<string, string>,
  main: ActionRun,
  options: RunOptions = {},
): Promise<ActionRun> => runInProcess(run, inputs, { ...options, state: main.state, runnerTemp: main.runnerTemp })
