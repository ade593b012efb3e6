import { planBroken } from '../../core/errors.ts'
import type { MtlsCertificate } from '../../cloudflare/mtls/answers.ts'
import type { EntryPlan, Step } from '../../plan/step.ts'
import type { RetireGuard, TargetContext } from '../../plan/target.ts'
import { planReplace, replaceInStep, scheduledCandidates } from '../../replace/in-main-step.ts'
import { finishRotation } from '../../replace/post-step.ts'
import { NO_REPLACE, type ReplaceOutcome, type RotationTarget } from '../../replace/policy.ts'
import type { Placement } from './placement.ts'
import type { Placed } from './place.ts'
import { STORE } from './place.ts'
import { rotationUploadTime, uploadTimeOf } from './upload.ts'

/**
 * The account store's last step for a certificate: retire the older ones of its name (`replace`),
 * now or at the end of the job. What is retired is judged from reads made right before each delete;
 * a plan that will not be applied (a dry run) carries a forecast made of the same reads now.
 */

export interface RetireData {
  /** The certificate rotated to: its id and upload time are known once it is placed (or saved for the post step). */
  rotation: Omit<RotationTarget, 'id' | 'uploadedOn'> & { id?: string; uploadedOn?: string }
  /** What keeps an older certificate: the use targets' guards. */
  guards: RetireGuard[]
  /** A dry run's judgement of each older certificate, as the account stands. */
  forecast?: ReplaceOutcome
}

export function retireStep(entry: EntryPlan, guards: RetireGuard[], context: TargetContext): Step<RetireData> {
  const { spec, checked } = entry
  return {
    target: STORE,
    action: 'retire',
    when: context.replaceWhen === 'immediately' ? 'now' : 'end-of-job',
    data: { rotation: { name: spec.name ?? '', ca: spec.ca, issuedAt: checked.leaf.validFromDate.getTime() }, guards },
  }
}

/** A dry run's forecast: each older certificate judged as a real run would judge it now. */
export async function forecastRetire(
  step: Step<RetireData>,
  placement: Placement,
  context: TargetContext,
): Promise<Step<RetireData>> {
  if (placement.kind === 'reuse' && !placement.mayReplace) return step
  const certificate = placement.kind === 'reuse' ? placement.certificate : undefined
  // A certificate not uploaded yet is uploaded after now (to the millisecond: a certificate uploaded
  // earlier in the same second is older); one listed has Cloudflare's time, if readable.
  const uploadedOn = certificate ? rotationUploadTime(certificate, certificate.uploaded_on) : context.now.toISOString()
  if (uploadedOn === undefined) return step
  const target: RotationTarget = { ...step.data.rotation, uploadedOn, ...(certificate ? { id: certificate.id } : {}) }
  const reads = context.retireReads(step.data.guards, certificate?.id)
  const forecast = await planReplace(reads, context.listing ?? [], target, step.when === 'end-of-job')
  return { ...step, data: { ...step.data, forecast } }
}

/** What a retire did in the main step, and the step the post step finishes (end of the job). */
export interface Retired {
  replace: boolean
  outcome: ReplaceOutcome
  /** The step saved for the post step, its certificate's id and upload time filled in. */
  tail?: Step<RetireData>
}

export async function applyRetire(step: Step<RetireData>, placed: Placed, context: TargetContext): Promise<Retired> {
  if (!placed.mayReplace) return { replace: false, outcome: NO_REPLACE }
  const { api } = context
  const { certificate } = placed
  const uploadedOn = rotationUploadTime(certificate, await uploadTimeOf(api, certificate))
  if (uploadedOn === undefined) return { replace: false, outcome: NO_REPLACE }
  const target = { ...step.data.rotation, id: certificate.id, uploadedOn }
  // A step's listing made before the upload, with the certificate in it: the account is not listed again.
  const since = context.listing && withCertificate(context.listing, certificate)
  if (step.when === 'now') {
    return {
      replace: true,
      outcome: await replaceInStep(context.retireReads(step.data.guards, certificate.id), target, since),
    }
  }
  const tail = { ...step, data: { rotation: target, guards: step.data.guards } }
  return { replace: true, outcome: await scheduledCandidates(api, target, since), tail }
}

/** The post step's retire: the saved step carried out, with reads made now. */
export function finishRetire(step: Step<RetireData>, context: TargetContext) {
  const { id, uploadedOn } = step.data.rotation
  if (id === undefined || uploadedOn === undefined) throw planBroken('a saved retire step lacks its certificate')
  const target = { ...step.data.rotation, id, uploadedOn }
  return finishRotation(context.api, target, context.retireReads(step.data.guards, id))
}

const withCertificate = (listing: readonly MtlsCertificate[], certificate: MtlsCertificate): MtlsCertificate[] => [
  ...listing.filter((c) => c.id !== certificate.id),
  certificate,
]
