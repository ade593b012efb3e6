import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'
import { collectStep, prepareStep, type ActionRun, type RunOptions } from '../../test-kit/run-action.ts'

/**
 * Runs the action's entry function (`run` of src/main.ts, given by the caller so that this file
 * imports nothing from src/) inside the test process, with everything the runner gives a step: the
 * same INPUT_* variables and files as `runAction`, and its standard output captured and read as the
 * runner reads it. For cases where a process start adds nothing but time, and for dependencies a
 * process cannot be given, such as a fake clock.
 */
const exitCodeNow = (): typeof process.exitCode => process.exitCode

/**
 * `@actions/core`'s summary keeps the path of the first summary file it wrote to for the life of the
 * process: in one process, every run writes to this one file, emptied before and copied after each run.
 */
const SHARED_SUMMARY_FILE = join(mkdtempSync(join(tmpdir(), 'mtls-in-process-')), 'summary.md')

export async function runInProcess<Dependencies>(
  run: (dependencies?: Dependencies) => Promise<void>,
  inputs: Record<string, string>,
  options: RunOptions & { dependencies?: Dependencies } = {},
): Promise<ActionRun> {
  const step = prepareStep(inputs, options)
  // What the process would not have: inputs, saved state and proxies of the test process itself.
  for (const name of Object.keys(process.env))
    if (/^(INPUT_|STATE_)|^(https?|no)_proxy$/i.test(name) && !(name in step.env)) vi.stubEnv(name, undefined)
  for (const [name, value] of Object.entries(step.env)) vi.stubEnv(name, value)
  vi.stubEnv('GITHUB_STEP_SUMMARY', SHARED_SUMMARY_FILE)
  writeFileSync(SHARED_SUMMARY_FILE, '')
  const printed = { stdout: '', stderr: '' }
  const capture =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array): boolean => {
      printed[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      return true
    }
  const { stdout, stderr } = process
  const writes = { stdout: stdout.write.bind(stdout), stderr: stderr.write.bind(stderr) }
  const exitCodeBefore = process.exitCode
  process.exitCode = undefined
  stdout.write = capture('stdout')
  stderr.write = capture('stderr')
  let exitCode: number | null
  try {
    await run(options.dependencies)
    // core.setFailed sets process.exitCode; read through a function, as TypeScript narrowed it above.
    exitCode = Number(exitCodeNow() ?? 0)
  } finally {
    stdout.write = writes.stdout
    stderr.write = writes.stderr
    copyFileSync(SHARED_SUMMARY_FILE, step.summaryFile)
    process.exitCode = exitCodeBefore
    vi.unstubAllEnvs()
  }
  return collectStep(step, { ...printed, exitCode })
}
