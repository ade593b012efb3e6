import { realpathSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { InputError } from './errors.ts'

/**
 * Paths the user gives relative to the repository, kept inside the workspace: a file the action
 * reads or writes must be the repository's own, never one a path or a symbolic link leads to
 * elsewhere on the runner (a manifest changed in a pull request could otherwise name any file).
 */

/** How messages name a path: what it was given as, and what it is relative to. */
export interface PathSubject {
  /** What a message starts with: `Input 'wrangler-config'`, or `manifest.yml:4: certificates[0].certificate`. */
  label: string
  /** What a relative path is taken from: `the repository root`, `the manifest's folder`. */
  relativeTo: string
}

/** Whether `path` (already absolute) lies inside `root` or is root itself. */
const isInside = (root: string, path: string): boolean => {
  const rest = relative(root, path)
  // `..` itself or a path under it leaves the root; `..x.yml` is a file inside it.
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest))
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
 * The full path of `path`, taken from `base` (the workspace by default); refused with an InputError
 * when it is absolute, climbs out of the workspace with `..`, or is (or goes through) a symbolic link
 * that leads outside. A path that does not exist passes: reading it says so.
 */
export function pathInWorkspace(subject: PathSubject, path: string, workspace: string, base = workspace): string {
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path)) {
    throw new InputError(
      `${subject.label}: '${path}' is an absolute path: give it relative to ${subject.relativeTo}, inside the repository.`,
    )
  }
  const fullPath = resolve(base, path)
  if (!isInside(resolve(workspace), fullPath)) {
    throw new InputError(
      `${subject.label}: '${path}' leads out of the workspace (${workspace}): keep the file inside the repository, and the path relative to ${subject.relativeTo}.`,
    )
  }
  const real = realPath(fullPath)
  const realRoot = realPath(workspace) ?? resolve(workspace)
  if (real !== undefined && !isInside(realRoot, real)) {
    throw new InputError(
      `${subject.label}: '${path}' is or passes through a symbolic link that leads out of the workspace: keep the file itself inside the repository.`,
    )
  }
  return fullPath
}
