import type { ActionMetadata } from './documents.ts'

/**
 * Interface the documentation describes ahead of the code: features being built in parallel, whose
 * names their issues fix. Only these may be documented while action.yml lacks them.
 *
 * Issue 16 (API Shield hostnames): the lead removes these two lists when issue 16 lands.
 */
export const PENDING_INPUTS: readonly string[] = ['zone-id', 'hostnames']
export const PENDING_OUTPUTS: readonly string[] = ['hostnames']

/**
 * Issue 17 (the audit action): what its recipe may use while audit/action.yml does not exist yet.
 * Once it exists, its own action.yml is checked instead and this is no longer read; the lead removes
 * it when issue 17 lands.
 */
export const PENDING_AUDIT: ActionMetadata = {
  inputs: Object.fromEntries(
    [
      // Shared with the upload action.
      'account-id',
      'api-token',
      'api-email',
      'api-key',
      'api-base-url',
      'max-retries',
      'timeout-seconds',
      // Its own.
      'warn-days',
      'fail-days',
      'names',
      'check-usage',
      'issue',
      'github-token',
    ].map((name) => [name, {}]),
  ),
  outputs: Object.fromEntries(['expiring', 'expiring-count', 'expired-count', 'total'].map((name) => [name, {}])),
}
