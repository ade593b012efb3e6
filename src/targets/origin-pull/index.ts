import type { HostnameAssignment, OriginPullCertificate } from '../../cloudflare/origin-pull/answers.ts'
import { planBroken, OperationError } from '../../core/errors.ts'
import { applyOriginPullStep, emptyOriginPullResult, type OriginPullTarget } from '../../origin-pull/apply.ts'
import { observeHostnameOriginPull, observeZoneOriginPull } from '../../origin-pull/observe.ts'
import { planHostnameOriginPull, planZoneOriginPull } from '../../origin-pull/plan.ts'
import { planOf, type EntryPlan, type Step } from '../../plan/step.ts'
import { moveSteps, partsOf, placementRef, retireWhen, reusedId } from '../../plan/store-steps.ts'
import { placedOf, type StoreTarget, type TargetContext } from '../../plan/target.ts'
import {
  ORIGIN_PULL,
  originPullSpecOf,
  zoneOf,
  type OriginPullDone,
  type OriginPullMoveData,
  type OriginPullPlaceData,
  type OriginPullRetireData,
} from './data.ts'
import { reportOriginPull } from './report.ts'
import { savedOriginPullProblem } from './saved.ts'

/**
 * Authenticated Origin Pulls, per hostname or zone-level, as Cloudflare documents its rotation: upload,
 * point the hostnames at the new certificate, wait until it reads `active`, and only then retire the
 * certificate it replaces (src/origin-pull/). The key goes to the upload alone, never into a step.
 */

type Observed =
  | { certificates: OriginPullCertificate[]; assignments: HostnameAssignment[] }
  | { certificates: OriginPullCertificate[]; enabled: boolean }

/** Each zone's hostnames the step's entries list, as observed: a retire keeps what another entry's point at. */
const listed = new WeakMap<TargetContext, Map<string, Set<string>>>()

export const originPullStore: StoreTarget<OriginPullPlaceData, OriginPullRetireData, Observed> = {
  name: ORIGIN_PULL,
  store: 'origin-pull',
  observe(entry, context) {
    const hostnames = entry.spec.storeScope?.hostnames ?? []
    const zones = listed.get(context) ?? new Map<string, Set<string>>()
    listed.set(context, zones)
    const zone = zones.get(zoneOf(entry)) ?? new Set<string>()
    zones.set(zoneOf(entry), zone)
    for (const hostname of hostnames) zone.add(hostname)
    return hostnames.length > 0
      ? observeHostnameOriginPull(context.api, zoneOf(entry), hostnames)
      : observeZoneOriginPull(context.api, zoneOf(entry))
  },

  place(entry, _context, observed) {
    const zoneId = zoneOf(entry)
    const spec = originPullSpecOf(entry)
    const plan =
      'assignments' in observed
        ? planHostnameOriginPull(spec, zoneId, observed)
        : planZoneOriginPull(spec, zoneId, observed)
    if (plan.problems.length > 0) throw new OperationError(`${plan.problems.join('; ')}.`)
    const hostnames = [...spec.hostnames]
    const { placing, moving, later } = partsOf(plan.steps)
    const reused = reusedId(placing)
    return {
      target: ORIGIN_PULL,
      action: 'place',
      when: 'now',
      data: {
        zoneId,
        hostnames,
        steps: placing,
        moves: { zoneId, hostnames, steps: moving, ...(reused ? { reused } : {}) },
        later,
        // The keeps are said by the retire step's rows.
        notes: plan.notes.filter((note) => !note.startsWith('Origin pull certificate')),
      },
    }
  },
  moves: (_entry, place) => moveSteps(ORIGIN_PULL, place.data.moves),
  certificateOf: (step) => placementRef(step.data.steps),
  retires: (_entry, place) => place.data.later.length > 0,
  retire(entry, place, _guards, context) {
    const { zoneId, hostnames, later: steps } = place.data
    const data = { zoneId, hostnames, rotation: { name: entry.spec.name ?? '' }, steps }
    return { target: ORIGIN_PULL, action: 'retire', when: retireWhen(steps, context), data }
  },
  // The plan's retire steps are what a real run does: nothing more is read for a forecast.
  forecast: (step) => Promise.resolve(step),

  async apply(step, entry, state, context) {
    if (step.action === 'place') {
      const data = step.data as OriginPullPlaceData
      const target = targetOf(planOf(entry, PLACEMENT), data.zoneId)
      const result = emptyOriginPullResult()
      for (const one of data.steps) await applyOriginPullStep(context.api, target, one, result)
      if (result.id !== undefined) state.placed = { certificate: { id: result.id }, created: result.uploaded }
      return result
    }
    if (step.action === 'move') {
      const data = step.data as OriginPullMoveData
      const { id } = placedOf(state, 'an origin pull move', 'the certificate').certificate
      const target = targetOf(planOf(entry, PLACEMENT), data.zoneId)
      const result = { ...emptyOriginPullResult(), id }
      for (const one of data.steps) await applyOriginPullStep(context.api, target, one, result)
      return result
    }
    const retire = step as Step<OriginPullRetireData>
    const { id } = placedOf(state, 'an origin pull retire', 'the certificate').certificate
    // Every entry is planned by now: the zone's hostnames the others list are known, and saved with it.
    const others = [...(listed.get(context)?.get(retire.data.zoneId) ?? [])].filter(
      (hostname) => !retire.data.hostnames.includes(hostname),
    )
    const data = { ...retire.data, rotation: { ...retire.data.rotation, id }, ...(others.length > 0 ? { others } : {}) }
    const saved = { ...retire, data }
    if (retire.when === 'end-of-job') return { ...emptyOriginPullResult(), tail: saved } satisfies OriginPullDone
    return retireNow(saved, context)
  },
  finish: (step, context) => retireNow(step, context),
  tailOf: (outcome) => (outcome as OriginPullDone | undefined)?.tail,
  savedProblem: savedOriginPullProblem,
  report: (step, outcome, entry, phase) => reportOriginPull(step, outcome as OriginPullDone | undefined, entry, phase),
}

/** The retire steps carried out, the new certificate's id known so that it is never the one deleted. */
async function retireNow(step: Step<OriginPullRetireData>, context: TargetContext): Promise<OriginPullDone> {
  const { zoneId, hostnames, rotation, steps, others = [] } = step.data
  if (rotation.id === undefined) throw planBroken('an origin pull retire without its certificate')
  const spec = { certificate: '', hostnames, retire: true }
  const target: OriginPullTarget = { zoneId, spec, privateKey: '', others }
  const result = { ...emptyOriginPullResult(), id: rotation.id }
  for (const one of steps) await applyOriginPullStep(context.api, target, one, result)
  return result
}

/** The upload's certificate and key: the key from the local checks (a secret registered there). */
function targetOf(entry: EntryPlan, zoneId: string): OriginPullTarget {
  const privateKey = entry.checked.privateKeyPem
  if (privateKey === undefined) throw planBroken('an origin pull certificate without its key')
  return { zoneId, spec: originPullSpecOf(entry), privateKey }
}

const PLACEMENT = 'an origin pull placement'
