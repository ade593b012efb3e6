import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/**
 * Runs the committed dist/index.js the way the GitHub runner does: inputs as INPUT_* variables
 * (defaults from action.yml filled in), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, debug logging
 * on, and the runner's log masking applied to what the process printed.
 */

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = join(ROOT, 'dist', 'index.js')

interface ActionYaml {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}
export const actionYaml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml
/** The audit action, `uses: owner/repo/audit@v1`: its metadata and its own bundle. */
export const auditYaml = parse(readFileSync(join(ROOT, 'audit', 'action.yml'), 'utf8')) as ActionYaml
const AUDIT_ENTRY = join(ROOT, 'dist', 'audit', 'index.js')

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
}

export interface ActionRun {
  exitCode: number | null
  /** Standard output and error as the runner would show them: masked, without masking commands. */
  log: string
  /** The raw standard output, before masking: for asserting on commands only. */
  rawStdout: string
  /** Standard error, masked: Node's own warnings land here. */
  stderr: string
  outputs: Record<string, string>
  outputsFile: string
  /** What the step saved for its post step (`core.saveState`), as the runner reads GITHUB_STATE. */
  state: Record<string, string>
  /** The job's RUNNER_TEMP, which outlives the step (the post step gets the same one). */
  runnerTemp: string
  summary: string
  annotations: Annotation[]
  masks: string[]
  durationMs: number
}

export interface RunOptions {
  env?: Record<string, string>
  workspace?: string
  /** Kills the process after this long (a hang is a failure of the test, not a stuck suite). */
  killAfterMs?: number
  /**
   * Runs the post step: the state the main step saved, which the runner gives the post process as
   * STATE_<name> variables (see `runPostStep`).
   */
  state?: Record<string, string>
  /** The job's RUNNER_TEMP (default: a new one): the main step's, for its post step. */
  runnerTemp?: string
  /** Runs the audit action (audit/action.yml and dist/audit/index.js) instead of the upload action. */
  audit?: boolean
}

export function inputEnv(inputs: Record<string, string>, metadata: ActionYaml = actionYaml): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(metadata.inputs)) {
    // An expression (`${{ github.token }}`) is the runner's to fill in: a test gives the value itself.
    if (value.default !== undefined && !value.default.includes('${{'))
      env[`INPUT_${name.toUpperCase()}`] = value.default
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (!(name in metadata.inputs)) throw new Error(`test uses input '${name}', which action.yml does not declare`)
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  return env
}

/** A step about to run: its environment, and the files the runner reads back after it. */
export interface PreparedStep {
  env: Record<string, string>
  dir: string
  outputsFile: string
  summaryFile: string
  stateFile: string
  runnerTemp: string
  /** Whether this step made runnerTemp (it is removed after the step if nothing is left in it). */
  ownsRunnerTemp: boolean
  started: number
}

/**
 * Linux's limit on one environment string, `NAME=value` and its terminating zero (MAX_ARG_STRLEN,
 * 32 pages of 4 KiB): execve refuses a longer one with E2BIG, so the runner cannot start the step.
 */
export const MAX_ENV_STRING_BYTES = 128 * 1024

/** The runner's refusal to start a step whose environment Linux would refuse, on every platform. */
function refuseWhatLinuxRefuses(env: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) {
    const bytes = Buffer.byteLength(`${name}=${value}`) + 1
    if (bytes > MAX_ENV_STRING_BYTES) {
      throw new Error(
        `spawn E2BIG (Argument list too long): ${name} is ${bytes} bytes, over Linux's ${MAX_ENV_STRING_BYTES} for one environment string`,
      )
    }
  }
}

/** RUNNER_TEMP folders left with files in them, removed when the test process ends. */
const keptRunnerTemps = new Set<string>()
process.once('exit', () => {
  for (const dir of keptRunnerTemps) rmSync(dir, { recursive: true, force: true })
})

/** The environment and files the runner gives a step, in a fresh temporary folder (parallel runs share nothing). */
export function prepareStep(inputs: Record<string, string>, options: RunOptions = {}): PreparedStep {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-action-'))
  const outputsFile = join(dir, 'output.txt')
  const summaryFile = join(dir, 'summary.md')
  const stateFile = join(dir, 'state.txt')
  writeFileSync(outputsFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(stateFile, '')
  const stateEnv = Object.fromEntries(
    Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]),
  )
  const runnerTemp = options.runnerTemp ?? mkdtempSync(join(tmpdir(), 'mtls-runner-temp-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    SYSTEMROOT: process.env.SYSTEMROOT ?? '',
    RUNNER_DEBUG: '1',
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace ?? dir,
    GITHUB_OUTPUT: outputsFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_REPOSITORY: 'acme/certificates',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    ...inputEnv(inputs, options.audit ? auditYaml : actionYaml),
    ...stateEnv,
    ...options.env,
  }
  refuseWhatLinuxRefuses(env)
  const ownsRunnerTemp = options.runnerTemp === undefined
  return { env, dir, outputsFile, summaryFile, stateFile, runnerTemp, ownsRunnerTemp, started: Date.now() }
}

/** What the runner makes of a finished step: the masked log, outputs, summary, saved state and annotations. */
export function collectStep(
  step: PreparedStep,
  printed: { stdout: string; stderr: string; exitCode: number | null },
): ActionRun {
  const { stdout, stderr, exitCode } = printed
  const { log, masks, stderr: maskedStderr } = applyRunnerMasking(stdout, stderr)
  const outputsText = readFileSync(step.outputsFile, 'utf8')
  const summary = readFileSync(step.summaryFile, 'utf8')
  const state = parseOutputs(readFileSync(step.stateFile, 'utf8'))
  rmSync(step.dir, { recursive: true, force: true })
  if (step.ownsRunnerTemp) {
    if (readdirSync(step.runnerTemp).length === 0) rmSync(step.runnerTemp, { recursive: true, force: true })
    else keptRunnerTemps.add(step.runnerTemp)
  }
  return {
    exitCode,
    log,
    rawStdout: stdout,
    stderr: maskedStderr,
    outputs: parseOutputs(outputsText),
    outputsFile: outputsText,
    state,
    runnerTemp: step.runnerTemp,
    summary,
    annotations: parseAnnotations(stdout),
    masks,
    durationMs: Date.now() - step.started,
  }
}

export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionRun> {
  const step = prepareStep(inputs, options)
  const child = spawn(process.execPath, [options.audit ? AUDIT_ENTRY : ENTRY], {
    env: step.env,
    cwd: step.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 30_000)
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(killer)
  return collectStep(step, { stdout, stderr, exitCode })
}

/**
 * The post step, as the runner starts it once every regular step of the job has ended (and, with
 * `post-if: success()`, succeeded): the same bundle and inputs, and the main step's saved state.
 */
export function runPostStep(
  inputs: Record<string, string>,
  main: ActionRun,
  options: RunOptions = {},
): Promise<ActionRun> {
  return runAction(inputs, { ...options, state: main.state, runnerTemp: main.runnerTemp })
}

/** The saved state's form (src/action/state-helper.ts): a file in RUNNER_TEMP, and its digest. */
interface SavedPointer {
  file: string
  sha256: string
}

/** The text a step saved for its post step under `name` (the file its state names); undefined when none. */
export function savedValue(run: Pick<ActionRun, 'state'>, name: string): string | undefined {
  const state = run.state[name]
  if (!state) return undefined
  let pointer: Partial<SavedPointer>
  try {
    pointer = JSON.parse(state) as Partial<SavedPointer>
  } catch {
    return undefined
  }
  return typeof pointer.file === 'string' && existsSync(pointer.file) ? readFileSync(pointer.file, 'utf8') : undefined
}

/**
 * State as a main step of this action saves it, for a post step given values no main step made
 * (`isPost` is set): each value written to a file of a new RUNNER_TEMP, the state naming it and its digest.
 */
export function savedState(values: Record<string, string>): Required<Pick<RunOptions, 'state' | 'runnerTemp'>> {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'mtls-runner-temp-'))
  keptRunnerTemps.add(runnerTemp)
  const state: Record<string, string> = { isPost: 'true' }
  for (const [name, text] of Object.entries(values)) {
    const file = join(runnerTemp, `saved-${name}.json`)
    writeFileSync(file, text, { mode: 0o600 })
    const pointer: SavedPointer = { file, sha256: createHash('sha256').update(text).digest('hex') }
    state[name] = JSON.stringify(pointer)
  }
  return { state, runnerTemp }
}

/** The runner's command escaping, undone (see @actions/core's command.ts). */
const unescapeData = (text: string): string => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')

/**
 * Models the runner: an `add-mask` registers the whole value and each of its lines, and applies to
 * every line printed after it; stderr is masked with every registered value.
 */
export function applyRunnerMasking(stdout: string, stderr: string): { log: string; masks: string[]; stderr: string } {
  const masks: string[] = []
  const mask = (line: string): string =>
    [...masks].sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join('***'), line)
  const lines: string[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const command = /^::add-mask::(.*)$/.exec(line)
    if (command) {
      const value = unescapeData(command[1] ?? '')
      for (const form of [value, ...value.split(/\r?\n/)]) if (form.trim()) masks.push(form)
      continue
    }
    lines.push(mask(line))
  }
  const errorLines = stderr.split(/\r?\n/).map(mask)
  return { log: [...lines, ...errorLines].join('\n'), masks, stderr: errorLines.join('\n') }
}

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const pattern = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? ''
  return outputs
}

function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = []
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)(?: [^:]*)?::(.*)$/.exec(line)
    if (match) annotations.push({ level: match[1] as Annotation['level'], message: unescapeData(match[2] ?? '') })
  }
  return annotations
}

/** The forms of a secret a leak could take: whole, each long line, and JSON-escaped. */
export function leakForms(secret: string): string[] {
  const forms = new Set([secret, secret.trim(), JSON.stringify(secret.trim()).slice(1, -1)])
  for (const line of secret.split(/\r?\n/))
    if (line.trim().length >= 16 && !line.startsWith('-----')) forms.add(line.trim())
  return [...forms].filter((form) => form.length >= 8)
}

/** The secrets that reached what a user or a later step can see: the masked log, outputs, summary, saved state. */
export function leakedSecrets(run: ActionRun, secrets: readonly string[]): string[] {
  const saved = Object.keys(run.state).flatMap((name) => (name === 'isPost' ? [] : [savedValue(run, name) ?? '']))
  const visible = [run.log, run.outputsFile, run.summary, ...Object.values(run.state), ...saved]
  return secrets.flatMap((secret) => leakForms(secret)).filter((form) => visible.some((text) => text.includes(form)))
}
