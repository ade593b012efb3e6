import { listAccessCertificates } from '../../cloudflare/access/client.ts'
import type { AccessCertificate } from '../../cloudflare/access/answers.ts'
import { OperationError } from '../../core/errors.ts'
import { applyAccessStep, emptyAccessResult } from '../../access/apply.ts'
import { planAccess } from '../../access/plan.ts'
import { planOf, type Step } from '../../plan/step.ts'
import { moveSteps, partsOf, placementRef, retireWhen, reusedId } from '../../plan/store-steps.ts'
import { placedOf, type StoreTarget, type TargetContext } from '../../plan/target.ts'
import {
  ACCESS,
  accessSpecOf,
  ownerOf,
  type AccessDone,
  type AccessMoveData,
  type AccessPlaceData,
  type AccessRetireData,
} from './data.ts'
import { reportAccess } from './report.ts'
import { savedAccessProblem } from './saved.ts'

/**
 * Access's CAs (Zero Trust), account-wide or in a zone: the CA placed with its hostnames before any
 * old CA lets go of them (make before break; `swap: detach-first` the other way round, a gap the
 * plan shows), the old CAs retired by detach, wait, and delete (src/access/).
 */

/** Each owner's CAs, listed once for every entry of the step that plans in it. */
const listings = new WeakMap<TargetContext, Map<string, Promise<AccessCertificate[]>>>()

export const accessStore: StoreTarget<AccessPlaceData, AccessRetireData, AccessCertificate[]> = {
  name: ACCESS,
  store: 'access',
  observe(entry, context) {
    const owner = ownerOf(entry, context.api.accountId)
    const byOwner = listings.get(context) ?? new Map<string, Promise<AccessCertificate[]>>()
    listings.set(context, byOwner)
    const key = JSON.stringify(owner)
    const listing = byOwner.get(key) ?? listAccessCertificates(context.api, owner)
    byOwner.set(key, listing)
    return listing
  },

  place(entry, context, observed) {
    const plan = planAccess(accessSpecOf(entry), observed)
    if (plan.problems.length > 0) throw new OperationError(`${plan.problems.join('; ')}.`)
    const gap = plan.notes.find((note) => note.startsWith('swap: detach-first'))
    const owner = ownerOf(entry, context.api.accountId)
    const { placing, moving, later } = partsOf(plan.steps)
    const reused = reusedId(placing)
    const moves = { owner, steps: moving, ...(gap ? { gap } : {}), ...(reused ? { reused } : {}) }
    return { target: ACCESS, action: 'place', when: 'now', data: { owner, steps: placing, moves, later } }
  },
  moves: (_entry, place) => moveSteps(ACCESS, place.data.moves),
  certificateOf: (step) => placementRef(step.data.steps),
  retires: (_entry, place) => place.data.later.length > 0,
  retire: (entry, place, _guards, context) => ({
    target: ACCESS,
    action: 'retire',
    when: retireWhen(place.data.later, context),
    data: { owner: place.data.owner, rotation: { name: entry.spec.name ?? '' }, steps: place.data.later },
  }),
  // The plan's retire steps are what a real run does: nothing more is read for a forecast.
  forecast: (step) => Promise.resolve(step),

  async apply(step, entry, state, context) {
    if (step.action === 'place') {
      const data = step.data as AccessPlaceData
      const result = emptyAccessResult()
      for (const one of data.steps)
        await applyAccessStep(context.api, data.owner, accessSpecOf(planOf(entry, PLACEMENT)), one, result)
      if (result.id !== undefined) state.placed = { certificate: { id: result.id }, created: result.uploaded }
      return result
    }
    if (step.action === 'move') {
      const data = step.data as AccessMoveData
      const { id } = placedOf(state, 'an Access move', 'the CA').certificate
      const result = { ...emptyAccessResult(), id }
      for (const one of data.steps)
        await applyAccessStep(context.api, data.owner, accessSpecOf(planOf(entry, PLACEMENT)), one, result)
      return result
    }
    const retire = step as Step<AccessRetireData>
    const { id } = placedOf(state, 'an Access retire', 'the CA').certificate
    const rotated = { ...retire, data: { ...retire.data, rotation: { ...retire.data.rotation, id } } }
    if (retire.when === 'end-of-job') return { ...emptyAccessResult(), tail: rotated } satisfies AccessDone
    return retireNow(rotated, context)
  },
  finish: (step, context) => retireNow(step, context),
  tailOf: (outcome) => (outcome as AccessDone | undefined)?.tail,
  savedProblem: savedAccessProblem,
  report: (step, outcome, entry, phase) => reportAccess(step, outcome as AccessDone | undefined, entry, phase),
}

async function retireNow(step: Step<AccessRetireData>, context: TargetContext): Promise<AccessDone> {
  // The CA rotated to: the old CAs' hostnames must be on it before they are detached (retire.ts).
  const { id } = step.data.rotation
  const result = { ...emptyAccessResult(), ...(id === undefined ? {} : { id }) }
  const spec = { name: step.data.rotation.name, certificate: '', hostnames: [], retire: true }
  for (const one of step.data.steps) await applyAccessStep(context.api, step.data.owner, spec, one, result)
  return result
}

const PLACEMENT = 'an Access placement'
