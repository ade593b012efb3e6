/** Everything the action needs, validated: built once by `getSettings`, read everywhere else. */

export type Credentials = { kind: 'token'; token: string } | { kind: 'global-key'; email: string; key: string }

/** PEM text together with the input it came from, so that checks can name that input. */
export interface PemInput {
  text: string
  /** The input the user set: `certificate`, `certificate-path`, `private-key` or `private-key-path`. */
  input: string
  /** For a path input: the path as the user wrote it. */
  path?: string
}

export interface Settings {
  accountId: string
  certificate: PemInput
  privateKey?: PemInput
  /** As given, not trimmed: spaces at either end may be part of it. */
  privateKeyPassphrase?: string
  ca: boolean
  name?: string
  credentials: Credentials
  apiBaseUrl: string
  expiryWarningDays: number
  maxRetries: number
  timeoutSeconds: number
  replace: boolean
  dryRun: boolean
}
