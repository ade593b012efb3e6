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

/** What talking to Cloudflare needs: all that the post step reads. */
export interface ApiSettings {
  accountId: string
  credentials: Credentials
  apiBaseUrl: string
  maxRetries: number
  timeoutSeconds: number
}

/** When `replace` deletes: the first is the default. */
export const REPLACE_WHEN = ['end-of-job', 'immediately'] as const

export interface Settings extends ApiSettings {
  certificate: PemInput
  privateKey?: PemInput
  /** As given, not trimmed: spaces at either end may be part of it. */
  privateKeyPassphrase?: string
  ca: boolean
  /** A client certificate may go without its key, as the workflow says explicitly. */
  allowMissingKey: boolean
  name?: string
  expiryWarningDays: number
  replace: boolean
  /** `end-of-job`: the post step replaces, once every other step of the job has succeeded. */
  replaceWhen: (typeof REPLACE_WHEN)[number]
  dryRun: boolean
}
