import { realpathSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import { InputError } from './errors.ts'

/**
 * Paths the user gives relative to the workspace, kept inside it: a file the action writes must be
 * the repository's own, never one a path or a symbolic link leads to elsewhere on the runner.
 */

/** Whether `path` (already absolute) lies inside `root` or is root itself. */
const isInside = (root: string, path: string): boolean => {
  const rest = relative(root, path)
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest))
}

/** The real path, or undefined when the path does not exist (yet). */
function realPath(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}

/**
 * The full path of `path`, relative to `workspace`; refused with an InputError that starts with
 * `what` (`Input 'wrangler-config'`) when it is absolute, climbs out with `..`, or is (or goes
 * through) a symbolic link that leads outside. A path that does not exist passes: reading says so.
 */
export function pathInWorkspace(what: string, path: string, workspace: string): string {
  const fix = 'Give the path of a file in the repository, relative to its root (for example wrangler.toml).'
  if (isAbsolute(path)) throw new InputError(`${what}: '${path}' is an absolute path. ${fix}`)
  const root = resolve(workspace)
  const fullPath = resolve(root, path)
  if (!isInside(root, fullPath)) throw new InputError(`${what}: '${path}' leads outside the workspace. ${fix}`)
  const real = realPath(fullPath)
  const realRoot = realPath(root) ?? root
  if (real !== undefined && !isInside(realRoot, real)) {
    throw new InputError(
      `${what}: '${path}' is a symbolic link, or lies under one, that leads outside the workspace (to ${real}). ${fix}`,
    )
  }
  return fullPath
}
