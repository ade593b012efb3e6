import { NEW_CERTIFICATE, type CertificateRef, type EntryPlan, type Step, type When } from './step.ts'
import type { TargetContext } from './target.ts'

/**
 * What the stores whose planners give steps of their own (Access, origin pulls) share: those steps in
 * the pipeline's three parts, the id the placement plans with, when the retire runs, the move step.
 */

interface Planned {
  action: string
}

/** The placement (upload or reuse), what makes it serve (attach, detach, point, wait), and the retire or keep of older ones. */
export interface StoreParts<S> {
  placing: S[]
  moving: S[]
  later: S[]
}

const PLACING: ReadonlySet<string> = new Set(['upload', 'reuse'])
const LATER: ReadonlySet<string> = new Set(['retire', 'keep'])

export function partsOf<S extends Planned>(steps: readonly S[]): StoreParts<S> {
  return {
    placing: steps.filter((step) => PLACING.has(step.action)),
    moving: steps.filter((step) => !PLACING.has(step.action) && !LATER.has(step.action)),
    later: steps.filter((step) => LATER.has(step.action)),
  }
}

/** The reused certificate's id, when the placement reuses one. */
export function reusedId(steps: readonly Planned[]): string | undefined {
  const reuse = steps.find((step) => step.action === 'reuse')
  return reuse && 'id' in reuse && typeof reuse.id === 'string' ? reuse.id : undefined
}

/** The id later steps plan with: the reused certificate's, or the placeholder for an upload. */
export const placementRef = (steps: readonly Planned[]): CertificateRef => reusedId(steps) ?? NEW_CERTIFICATE

/** At the end of the job only when it deletes something and replace-when says so: keeps alone are said now. */
export const retireWhen = (later: readonly Planned[], context: Pick<TargetContext, 'replaceWhen'>): When =>
  later.some((step) => step.action === 'retire') && context.replaceWhen === 'end-of-job' ? 'end-of-job' : 'now'

/** The move step, when the placement has anything to move. */
export const moveSteps = <D extends { steps: readonly unknown[] }>(target: string, data: D): Step<D>[] =>
  data.steps.length === 0 ? [] : [{ target, action: 'move', when: 'now', data }]

/** What a placement in such a store came to: the id it is placed as ('' before an upload), and when. */
export interface StorePlacement {
  id: string
  uploadedOn: string
  created: boolean
  ca: boolean
  hostnames: readonly string[]
}

/** The single step's outputs of the placement: Cloudflare's id and time, and the local certificate's facts. */
export function placementOutputs(entry: EntryPlan, placed: StorePlacement): Record<string, string | string[]> {
  const facts = entry.checked.facts
  return {
    'certificate-id': placed.id,
    'uploaded-on': placed.uploadedOn,
    'expires-on': facts.expiresOn,
    issuer: facts.issuer,
    'serial-number': facts.serialNumber,
    signature: facts.signature,
    name: entry.spec.name ?? '',
    ca: String(placed.ca),
    'fingerprint-sha256': facts.fingerprintSha256,
    created: String(placed.created),
    hostnames: [...placed.hostnames],
  }
}
