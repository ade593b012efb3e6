/** A Hyperdrive step's own data: each config, the certificate role it gives, and what it uses now. */
export interface HyperdriveData {
  role: 'client' | 'ca'
  configs: { id: string; name: string; now?: string }[]
}

/** What setting them did: each config, what it used, and whether this run changed it. */
export type HyperdriveDone = { id: string; name: string; was?: string; changed: boolean }[]
