/**
 * Interface the documentation describes ahead of the code: features being built in parallel, whose
 * names their issues fix. Only these may be documented while action.yml lacks them.
 *
 * Issue 16 (API Shield hostnames): the lead removes these two lists when issue 16 lands.
 */
export const PENDING_INPUTS: readonly string[] = ['zone-id', 'hostnames']
export const PENDING_OUTPUTS: readonly string[] = ['hostnames']
