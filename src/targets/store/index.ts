import { planBroken } from '../../core/errors.ts'
import { planOf, type EntryPlan, type Step } from '../../plan/step.ts'
import type { StoreTarget } from '../../plan/target.ts'
import { NEW_CERTIFICATE } from '../../plan/step.ts'
import { applyPlace, placeStep, STORE, type Placed } from './place.ts'
import type { Placement } from './placement.ts'
import { reportPlace } from './report.ts'
import { applyRetire, finishRetire, forecastRetire, retireStep, type RetireData, type Retired } from './retire.ts'
import { reportRetire } from './retire-report.ts'
import { savedRetireProblem } from './saved.ts'

/** The account's mTLS certificate store (`POST /accounts/{account_id}/mtls_certificates`). */
export const mtlsStore: StoreTarget<Placement, RetireData, undefined> = {
  name: STORE,
  store: 'mtls',
  // The step's one listing, made before planning, is what placing reads.
  observe: () => Promise.resolve(undefined),
  place: (entry, context) => placeStep(entry, context),
  // Placed is serving: the use targets put it to use.
  moves: () => [],
  certificateOf: (step) => (step.data.kind === 'reuse' ? step.data.certificate.id : NEW_CERTIFICATE),
  retires: (entry: EntryPlan, place) => entry.spec.replace && (place.data.kind === 'upload' || place.data.mayReplace),
  retire: (entry, _place, guards, context) => retireStep(entry, guards, context),
  forecast: (step, place, context) => forecastRetire(step, place.data, context),

  apply(step, entry, state, context) {
    if (step.action === 'place')
      return applyPlace(step as Step<Placement>, planOf(entry, 'a placement step'), state, context)
    const placed = state.outcomes.find(isPlaced)
    if (!placed) throw planBroken('retire ran before the certificate was placed')
    return applyRetire(step as Step<RetireData>, placed, context)
  },

  finish: async (step, context) =>
    ({ replace: true, outcome: { replacements: await finishRetire(step, context), candidates: [] } }) satisfies Retired,
  tailOf: (outcome) => (outcome as Retired | undefined)?.tail,
  savedProblem: savedRetireProblem,

  report(step, outcome, entry, phase) {
    return step.action === 'place'
      ? reportPlace(step as Step<Placement>, outcome as Placed | undefined, planOf(entry, 'a placement step'))
      : reportRetire(step as Step<RetireData>, outcome as Retired | undefined, phase)
  },
}

const isPlaced = (outcome: unknown): outcome is Placed =>
  typeof outcome === 'object' && outcome !== null && 'certificate' in outcome && 'mayReplace' in outcome
