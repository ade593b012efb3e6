import * as core from '@actions/core'

/** Each field an output: the upload's, the manifest's or the audit's. */
export function setOutputs(outputs: object): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}
