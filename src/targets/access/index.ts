import { listAccessCertificates } from '../../cloudflare/access/client.ts'
import type { AccessCertificate } from '../../cloudflare/access/answers.ts'
import { planBroken, OperationError } from '../../core/errors.ts'
import { applyAccessStep, emptyAccessResult } from '../../access/apply.ts'
import { planAccess, type AccessStep } from '../../access/plan.ts'
import { NEW_CERTIFICATE, type EntryPlan, type EntrySteps, type Step } from '../../plan/step.ts'
import type { StoreTarget, TargetContext } from '../../plan/target.ts'
import {
  ACCESS,
  accessSpecOf,
  isRetireStep,
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
    const placing = plan.steps.filter(isPlacing)
    const reused = placing.find((step) => step.action === 'reuse')
    const moves = plan.steps.filter((step) => !isPlacing(step) && !isRetireStep(step))
    return {
      target: ACCESS,
      action: 'place',
      when: 'now',
      data: {
        owner,
        steps: placing,
        moves: { owner, steps: moves, ...(gap ? { gap } : {}), ...(reused ? { reused: reused.id } : {}) },
        later: plan.steps.filter(isRetireStep),
      },
    }
  },
  moves: (_entry, place) =>
    place.data.moves.steps.length === 0
      ? []
      : [{ target: ACCESS, action: 'move', when: 'now', data: place.data.moves } satisfies Step<AccessMoveData>],
  certificateOf: (step) => {
    const reuse = step.data.steps.find((s) => s.action === 'reuse')
    return reuse?.action === 'reuse' ? reuse.id : NEW_CERTIFICATE
  },
  retires: (_entry, place) => place.data.later.length > 0,
  retire(entry, place, _guards, context) {
    const steps = place.data.later
    const deletes = steps.some((step) => step.action === 'retire')
    return {
      target: ACCESS,
      action: 'retire',
      when: deletes && context.replaceWhen === 'end-of-job' ? 'end-of-job' : 'now',
      data: { owner: place.data.owner, rotation: { name: entry.spec.name ?? '' }, steps },
    }
  },
  // The plan's retire steps are what a real run does: nothing more is read for a forecast.
  forecast: (step) => Promise.resolve(step),

  async apply(step, entry, state, context) {
    if (step.action === 'place') {
      const data = step.data as AccessPlaceData
      const result = emptyAccessResult()
      for (const one of data.steps)
        await applyAccessStep(context.api, data.owner, accessSpecOf(planOf(entry)), one, result)
      if (result.id !== undefined) state.placed = { certificate: { id: result.id }, created: result.uploaded }
      return result
    }
    if (step.action === 'move') {
      const data = step.data as AccessMoveData
      const id = state.placed?.certificate.id
      if (id === undefined) throw planBroken('an Access move ran before the CA was placed')
      const result = { ...emptyAccessResult(), id }
      for (const one of data.steps)
        await applyAccessStep(context.api, data.owner, accessSpecOf(planOf(entry)), one, result)
      return result
    }
    const retire = step as Step<AccessRetireData>
    const id = state.placed?.certificate.id
    if (id === undefined) throw planBroken('an Access retire ran before the CA was placed')
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

const isPlacing = (step: AccessStep): boolean => step.action === 'upload' || step.action === 'reuse'

function planOf(entry: EntrySteps): EntryPlan {
  if (!('spec' in entry)) throw planBroken('an Access placement without its spec')
  return entry as EntryPlan
}
