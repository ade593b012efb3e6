import type { HostnameAssignment, OriginPullCertificate } from '../../cloudflare/origin-pull/answers.ts'
import { planBroken, OperationError } from '../../core/errors.ts'
import { applyOriginPullStep, emptyOriginPullResult, type OriginPullTarget } from '../../origin-pull/apply.ts'
import { observeHostnameOriginPull, observeZoneOriginPull } from '../../origin-pull/observe.ts'
import { planHostnameOriginPull, planZoneOriginPull } from '../../origin-pull/plan.ts'
import { NEW_CERTIFICATE, type EntryPlan, type EntrySteps, type Step } from '../../plan/step.ts'
import type { StoreTarget, TargetContext } from '../../plan/target.ts'
import {
  ORIGIN_PULL,
  isPlacing,
  isRetireStep,
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
    const placing = plan.steps.filter(isPlacing)
    const reused = placing.find((step) => step.action === 'reuse')
    const moving = plan.steps.filter((step) => !isPlacing(step) && !isRetireStep(step))
    return {
      target: ORIGIN_PULL,
      action: 'place',
      when: 'now',
      data: {
        zoneId,
        hostnames,
        steps: placing,
        moves: { zoneId, hostnames, steps: moving, ...(reused?.action === 'reuse' ? { reused: reused.id } : {}) },
        later: plan.steps.filter(isRetireStep),
        notes: plan.notes.filter((note) => !note.startsWith('Origin pull certificate')),
      },
    }
  },
  moves: (_entry, place) =>
    place.data.moves.steps.length === 0
      ? []
      : [
          {
            target: ORIGIN_PULL,
            action: 'move',
            when: 'now',
            data: place.data.moves,
          } satisfies Step<OriginPullMoveData>,
        ],
  certificateOf: (step) => {
    const reuse = step.data.steps.find((s) => s.action === 'reuse')
    return reuse?.action === 'reuse' ? reuse.id : NEW_CERTIFICATE
  },
  retires: (_entry, place) => place.data.later.length > 0,
  retire(entry, place, _guards, context) {
    const { zoneId, hostnames, later: steps } = place.data
    const deletes = steps.some((step) => step.action === 'retire')
    return {
      target: ORIGIN_PULL,
      action: 'retire',
      when: deletes && context.replaceWhen === 'end-of-job' ? 'end-of-job' : 'now',
      data: { zoneId, hostnames, rotation: { name: entry.spec.name ?? '' }, steps },
    }
  },
  // The plan's retire steps are what a real run does: nothing more is read for a forecast.
  forecast: (step) => Promise.resolve(step),

  async apply(step, entry, state, context) {
    if (step.action === 'place') {
      const data = step.data as OriginPullPlaceData
      const target = targetOf(planOf(entry), data.zoneId)
      const result = emptyOriginPullResult()
      for (const one of data.steps) await applyOriginPullStep(context.api, target, one, result)
      if (result.id !== undefined) state.placed = { certificate: { id: result.id }, created: result.uploaded }
      return result
    }
    if (step.action === 'move') {
      const data = step.data as OriginPullMoveData
      const id = state.placed?.certificate.id
      if (id === undefined) throw planBroken('an origin pull move ran before the certificate was placed')
      const target = targetOf(planOf(entry), data.zoneId)
      const result = { ...emptyOriginPullResult(), id }
      for (const one of data.steps) await applyOriginPullStep(context.api, target, one, result)
      return result
    }
    const retire = step as Step<OriginPullRetireData>
    const id = state.placed?.certificate.id
    if (id === undefined) throw planBroken('an origin pull retire ran before the certificate was placed')
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

function planOf(entry: EntrySteps): EntryPlan {
  if (!('spec' in entry)) throw planBroken('an origin pull placement without its spec')
  return entry as EntryPlan
}
