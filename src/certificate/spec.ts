import { InputError } from '../core/errors.ts'
/**
 * What to do with one certificate, apart from the step that does it: where its PEM comes from, how
 * it is uploaded, and what it goes onto (API Shield hostnames, Worker bindings). The inputs of a step
 * give one spec; a manifest gives one per entry.
 */

/** PEM text together with where it came from, so that checks can name it. */
export interface PemInput {
  text: string
  /** Where the user gave it: the input (`certificate`, `certificate-path`, `private-key`, `private-key-path`). */
  input: string
  /** For a file: the path as the user wrote it. */
  path?: string
}

/** How messages name a PEM input: `input 'certificate'`, or `certificate-path 'certs/client.pem'`. */
export function describePemInput(input: PemInput): string {
  return input.path ? `${input.input} '${input.path}'` : `input '${input.input}'`
}

/** API Shield mTLS: the zone whose hostnames the CA verifies client certificates for. */
export interface ApiShieldTarget {
  zoneId: string
  /** Checked and normalised: lower case, each once, in the order given. */
  hostnames: string[]
}

/**
 * Wrangler: a Worker binding that deploys with this certificate's id. Every `mtls_certificates` entry
 * named `binding`, at the top level and in each `env.<name>`, gets the id written into `config`.
 */
export interface BindingTarget {
  /** The configuration file as the user wrote its path, relative to the workspace. */
  config: string
  /** The binding's name (`PAYMENTS_CERT`). */
  binding: string
}

/**
 * Where a certificate is kept: the account's mTLS store (the default), Access's CAs (Zero Trust), or
 * Authenticated Origin Pulls' client certificates. The first is the default.
 */
export const STORE_NAMES = ['mtls', 'access', 'origin-pull'] as const
export type StoreName = (typeof STORE_NAMES)[number]

/** The one way to move hostnames that Cloudflare will not give two Access CAs at once. */
export const SWAP_CHOICES = ['detach-first'] as const

/** Access and origin pulls: where in the store, and for which hostnames. */
export interface StoreScope {
  /** Access: zone-wide (account-wide without it); origin pulls: the zone, required. */
  zoneId?: string
  /** Access: the CA's associated hostnames; origin pulls: per hostname (zone-level when empty). Checked, lower case. */
  hostnames: string[]
  /** Access: detach from the old CA before the attach, when Cloudflare refuses a hostname on two CAs. */
  swap?: (typeof SWAP_CHOICES)[number]
}

export interface CertificateSpec {
  /** Absent: the account's mTLS store. */
  store?: Exclude<StoreName, 'mtls'>
  /** With `store`: where in it, and for which hostnames. */
  storeScope?: StoreScope
  certificate: PemInput
  privateKey?: PemInput
  /**
   * The key is named (an environment variable) but not readable in this run: a fork's pull request
   * gets no secrets. The checks that need the key are skipped; nothing is uploaded with such a spec.
   */
  keyUnavailable?: true
  /** As given, not trimmed: spaces at either end may be part of it. */
  privateKeyPassphrase?: string
  ca: boolean
  /** A client certificate may go without its key, as the workflow says explicitly. */
  allowMissingKey: boolean
  name?: string
  /** Retire the older certificates of the same name once this one is in place. */
  replace: boolean
  /** API Shield: with zone-id and hostnames (only for a CA). */
  apiShield?: ApiShieldTarget
  /** The fields of targets that declare their own (certificate/fields.ts TargetField), by target name. */
  uses?: Readonly<Record<string, readonly Readonly<Record<string, string>>[]>>
  /** Wrangler configurations to write the id into (only for a client certificate, with its key). */
  wrangler?: BindingTarget[]
}

/** The key belongs to no certificate given: a manifest points at the key's line, not the entry's. */
export class KeyMismatchError extends InputError {
  override name = 'KeyMismatchError'
}
