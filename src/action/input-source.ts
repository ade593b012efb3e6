import * as core from '@actions/core'

/** Where inputs come from; `core.getInput` and `process.env` on the runner, plain maps in tests. */
export interface InputSource {
  /**
   * The input's value as written, not trimmed (`core.getInput(name, { trimWhitespace: false })`): a
   * passphrase may begin or end with spaces. Trimming is the reader's: the settings modules read
   * every other input through `trimmedInputs` below.
   */
  input(name: string): string
  env: Readonly<Record<string, string | undefined>>
}

/** The inputs as the runner gives them to this step, untrimmed (see InputSource). */
export function actionInputs(): InputSource {
  return { input: (name) => core.getInput(name, { trimWhitespace: false }), env: process.env }
}

/** The one place inputs are trimmed: `read(name)` is the input without spaces or line breaks at either end. */
export const trimmedInputs =
  (source: InputSource) =>
  (name: string): string =>
    source.input(name).trim()
