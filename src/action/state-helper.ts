import { createHash, randomUUID } from 'node:crypto'
import { readFileSync, realpathSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, sep } from 'node:path'
import * as core from '@actions/core'

/**
 * What the main step hands to the post step. action.yml runs the same bundle for both; the runner
 * gives the post process what the main step saved (`core.saveState`) as STATE_<name> variables, and
 * Linux refuses to start a process with any one variable over 128 KiB (E2BIG): a large saved value
 * would stop the post step before it runs. So a saved value is written to a file in RUNNER_TEMP
 * (which lives for the whole job and is emptied after it), and the state holds only the file's path
 * and its SHA-256 digest, about 200 bytes whatever is saved. One rule for every size, so the path
 * the post step takes is the same, and tested, for one certificate and for a thousand.
 */

const IS_POST = 'isPost'

/** The state's form: where the value is, and its digest, which the post step checks. */
interface Pointer {
  file: string
  sha256: string
}

/** The saved state cannot be trusted; the message says why, for the caller's warning. */
export class SavedStateError extends Error {
  override name = 'SavedStateError'
}

/** True in the post step: the main step marks itself first thing, so the post step sees the mark. */
export function isPostStep(): boolean {
  return core.getState(IS_POST) === 'true'
}

/** Marks this process as the main step, for the post step that follows it. */
export function markMainStep(): void {
  core.saveState(IS_POST, 'true')
}

/** The job's temporary folder: the runner's, or the system's when run outside a runner (local-action). */
function runnerTemp(): string {
  return process.env.RUNNER_TEMP || tmpdir()
}

const sha256 = (text: Buffer | string): string => createHash('sha256').update(text).digest('hex')

/**
 * Saves `value` as JSON under `name`, for the post step: the JSON in a new file only this user can
 * read (a unique name, created, never overwritten), and the file's path and digest in the state.
 */
export function saveForPostStep(name: string, value: unknown): void {
  const text = JSON.stringify(value)
  const file = join(runnerTemp(), `mtls-certificate-${name.replace(/[^\w-]/g, '_')}-${randomUUID()}.json`)
  writeFileSync(file, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' })
  const pointer: Pointer = { file, sha256: sha256(text) }
  core.saveState(name, JSON.stringify(pointer))
}

/**
 * The text the main step saved under `name`; undefined when it saved none. Throws SavedStateError
 * when the state does not name a file of the job's temporary folder, or the file is missing or no
 * longer what the main step wrote: the caller then acts on nothing. The text itself comes from a file
 * the job could have changed, so the caller still checks it before it decides anything.
 */
export function loadFromMainStep(name: string): string | undefined {
  const state = core.getState(name)
  if (!state) return undefined
  const { file, sha256: digest } = pointerOf(state)
  let real: string
  let bytes: Buffer
  try {
    real = realpathSync(file)
    bytes = readFileSync(real)
  } catch {
    throw new SavedStateError(`its file ${file} is missing or cannot be read`)
  }
  if (!inside(realpathSync(runnerTemp()), real)) {
    throw new SavedStateError(`its file ${file} is not in the job's temporary folder (RUNNER_TEMP)`)
  }
  if (sha256(bytes) !== digest) throw new SavedStateError(`its file ${file} was changed after the main step wrote it`)
  return bytes.toString('utf8')
}

function pointerOf(state: string): Pointer {
  let value: unknown
  try {
    value = JSON.parse(state)
  } catch {
    value = undefined
  }
  const { file, sha256: digest } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  if (typeof file !== 'string' || !isAbsolute(file) || typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) {
    throw new SavedStateError('the state does not name a file and its SHA-256 digest')
  }
  return { file, sha256: digest }
}

/** Whether `path` is inside `folder` (both real paths). */
function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel)
}
