/** What talking to Cloudflare needs, read from the step's inputs by spec/api-settings.ts. */

export type Credentials = { kind: 'token'; token: string } | { kind: 'global-key'; email: string; key: string }

export interface ApiSettings {
  accountId: string
  credentials: Credentials
  apiBaseUrl: string
  maxRetries: number
  timeoutSeconds: number
}
