import { statSync } from 'node:fs'
import { relative, sep } from 'node:path'
import type { Node } from 'yaml'
import { registerSecret } from '../action/secrets.ts'
import { readTextFile, type FileSubject } from '../certificate/pem-file.ts'
import { pathInWorkspace } from '../core/workspace-path.ts'
import { InputError } from '../core/errors.ts'
import type { TargetField } from '../certificate/fields.ts'
import { checkConfigExtension } from '../wrangler/settings.ts'
import { Problems, shown } from './document.ts'
import { RESERVED_VARIABLE_PREFIXES, VARIABLE_NAME } from './fields.ts'

/** Where an entry's files and secrets come from: files under the workspace, secrets in environment variables. */

export interface ManifestContext {
  /** Every path stays inside it. */
  workspace: string
  /** The manifest's folder, a full path: the paths in the manifest are relative to it. */
  folder: string
  env: Readonly<Record<string, string | undefined>>
  /** The step's `replace`, for the entries that do not set their own. */
  replace: boolean
  now: Date
  expiryWarningDays: number
  /**
   * A fork's pull request: the runner passes no secrets, so a variable the manifest names reads empty.
   * Everything else is checked as always; an empty variable is then no problem (the key's checks wait).
   */
  secretsUnavailable?: boolean
  /** The fields the targets declare (targets/registry.ts): an entry may set them too. */
  targetFields?: readonly TargetField[]
}

const subjectOf = (problems: Problems, at: Node | null, field: string, noun: string): FileSubject => ({
  label: fieldLabel(problems, at, field),
  relativeTo: "the manifest's folder",
  noun,
})

/** A file the manifest names, read (at most 256 KiB) from inside the workspace; undefined after a problem. */
export function readManifestPath(
  path: string,
  at: Node | null,
  field: string,
  context: ManifestContext,
  problems: Problems,
): string | undefined {
  const subject = subjectOf(problems, at, field, 'PEM file')
  return fileProblem(problems, () =>
    readTextFile(subject, path, pathInWorkspace(subject, path, context.workspace, context.folder)),
  )
}

/**
 * A file the manifest names for another step to read (a Wrangler configuration): inside the
 * workspace, and a regular file. Returns its path relative to the workspace, with forward slashes.
 */
export function workspacePath(
  path: string,
  at: Node | null,
  field: string,
  context: ManifestContext,
  problems: Problems,
): string | undefined {
  const subject = subjectOf(problems, at, field, 'Wrangler configuration')
  return fileProblem(problems, () => {
    checkConfigExtension(subject.label, path)
    const fullPath = pathInWorkspace(subject, path, context.workspace, context.folder)
    const stats = statSync(fullPath, { throwIfNoEntry: false })
    if (!stats?.isFile()) {
      throw new InputError(
        `${subject.label}: '${path}' is not a file (looked for ${fullPath}): give the path of wrangler.json, wrangler.jsonc or wrangler.toml, relative to the manifest's folder.`,
      )
    }
    return relative(context.workspace, fullPath).split(sep).join('/')
  })
}

/** The label a message about a field starts with: `deploy/certificates.yml:8: certificates[0].ca`. */
export const fieldLabel = (problems: Problems, at: Node | null, field: string): string =>
  `${problems.file}:${problems.lineOf(at)}: ${field}`

/** Runs `read`, adding its InputError as a problem: the messages of pem-file.ts and wrangler/ already start with the file, line and field. */
export function fileProblem<T>(problems: Problems, read: () => T): T | undefined {
  try {
    return read()
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    problems.list.push(error.message)
    return undefined
  }
}

/**
 * A secret from the environment variable the manifest names, registered with the runner before
 * anything else sees it. The name is checked first: none of the runner's own variables.
 */
export function readVariable(
  name: string,
  at: Node | null,
  field: string,
  context: ManifestContext,
  problems: Problems,
): string | undefined {
  if (!VARIABLE_NAME.test(name)) {
    problems.add(at, field, notAVariableName(name, field))
    return undefined
  }
  const reserved = Object.keys(RESERVED_VARIABLE_PREFIXES).find((prefix) => name.startsWith(prefix))
  if (reserved) {
    problems.add(
      at,
      field,
      `'${name}' starts with ${reserved}, which ${RESERVED_VARIABLE_PREFIXES[reserved] ?? ''}: name a variable of your own, and set it from a secret in the step's env:.`,
    )
    return undefined
  }
  const value = context.env[name]
  registerSecret(value)
  if (!value?.trim() && context.secretsUnavailable) return undefined
  if (!value?.trim()) {
    problems.add(
      at,
      field,
      `the environment variable ${name} is empty or not set. Set it in the step's env: from a secret (${name}: \${{ secrets.${name} }}); an unset or misspelled secret reads as empty, and a run from a fork gets no secrets.`,
    )
    return undefined
  }
  return value
}

/**
 * Why a value is not a variable name, and what to write instead. An expression (`${{ secrets.X }}`)
 * is the usual mistake: the runner expands expressions in the workflow, never in a file it reads.
 */
function notAVariableName(value: string, field: string): string {
  const key = field.slice(field.lastIndexOf('.') + 1)
  const expression = /^\$\{\{\s*(?:(secrets|vars|env)\.([A-Za-z_][A-Za-z0-9_]*))?[\s\S]*\}\}$/.exec(value)
  if (expression) {
    const variable = expression[2]?.toUpperCase() ?? 'PAYMENTS_KEY'
    const from = expression[2]
      ? `\${{ ${expression[1] ?? 'secrets'}.${expression[2]} }}`
      : '${{ secrets.PAYMENTS_KEY }}'
    return `'${shown(value)}' is an expression, and expressions are not expanded in a manifest: the value must be the NAME of an environment variable that the step's env: sets. Write ${key}: ${variable} in the manifest, and ${variable}: ${from} under the step's env:.`
  }
  const dollar = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value)?.[1]
  if (dollar)
    return `'${shown(value)}' is not expanded in a manifest: write the variable's name alone, ${key}: ${dollar.toUpperCase()}.`
  return `'${shown(value)}' is not an environment variable name: use capital letters, digits and underscores (PAYMENTS_KEY), not starting with a digit.`
}
