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

export interface CertificateSpec {
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
