/**
 * Bundled in place of @actions/exec (see `paths` in tsconfig.json). Its only importer here is
 * @actions/core's `platform.getDetails`, which this action never calls; the real module would load
 * child_process and @actions/io at every start.
 */
export function getExecOutput(): Promise<never> {
  return Promise.reject(
    new Error('@actions/exec is not bundled in this action: core.platform.getDetails is unavailable.'),
  )
}
