import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * One timed run of a bundle as the runner starts it, for the bench's audit and manifest parts: fresh
 * output and summary files in `work`, the given INPUT_* variables and nothing else from this process.
 */
export async function timeBundle(
  bundle: string,
  work: string,
  inputVariables: Record<string, string>,
): Promise<{ ms: number; outputs: string }> {
  const outputFile = join(work, 'output.txt')
  const summaryFile = join(work, 'summary.md')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'acme/certificates',
    ...inputVariables,
  }
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, [bundle], { env, stdio: 'ignore' })
  await new Promise((resolve) => child.on('close', resolve))
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, outputs: readFileSync(outputFile, 'utf8') }
}
