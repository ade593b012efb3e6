import type { MtlsCertificate } from '../../cloudflare/mtls/answers.ts'
import type { ApplyState, TargetContext } from '../../plan/target.ts'
import type { EntryPlan, Step } from '../../plan/step.ts'
import { judgeExisting, planPlacement, type Placement } from './placement.ts'
import { uploadOrAdopt } from './upload.ts'

/** The account store's first step for a certificate: upload it, or reuse what the account holds. */

export const STORE = 'store'

export function placeStep(entry: EntryPlan, context: TargetContext): Step<Placement> {
  return {
    target: STORE,
    action: 'place',
    when: 'now',
    data: planPlacement(entry.spec, entry.checked, context.listing),
  }
}

/** What placing did: the certificate in the account, whether this run put it there, and whether it may replace. */
export interface Placed {
  certificate: MtlsCertificate
  created: boolean
  mayReplace: boolean
  /** Reused under another name: why replace is skipped. */
  warning?: string
}

export async function applyPlace(
  step: Step<Placement>,
  entry: EntryPlan,
  state: ApplyState,
  context: TargetContext,
): Promise<Placed> {
  const plan = step.data
  if (plan.kind === 'reuse') {
    state.placed = { certificate: plan.certificate, created: false }
    return { certificate: plan.certificate, created: false, mayReplace: plan.mayReplace, ...warningOf(plan) }
  }
  const { certificate, created } = await uploadOrAdopt(
    context.api,
    plan.body,
    entry.checked.facts.fingerprintSha256,
    context.now.getTime(),
  )
  state.placed = { certificate, created }
  if (created) return { certificate, created, mayReplace: true }
  // Adopted: Cloudflare held it already, perhaps under another name or with the other ca flag.
  const existing = judgeExisting(certificate, entry.spec)
  return { certificate, created, ...existing }
}

const warningOf = (plan: Placement & { kind: 'reuse' }): { warning?: string } =>
  plan.warning === undefined ? {} : { warning: plan.warning }
