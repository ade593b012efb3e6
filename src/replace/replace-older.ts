import { missingFrom } from '../api-shield/plan.ts'
import { detachHostnames, waitUntilUnused } from '../api-shield/zone.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import { ApiError } from '../cloudflare/errors.ts'
import {
  NOT_IN_USE,
  detachNote,
  describe,
  describeServices,
  inUseElsewhere,
  planRetire,
  type RetirePlan,
} from './plan.ts'
import type { Replacement, RotationTarget } from './policy.ts'
import { failed, judgeOlder, readRetireFacts, type RetireReads } from './read.ts'
import { plural, someOf } from '../core/text.ts'
import type { Cell, LogLine, Verb } from '../core/report.ts'
import { keptForConsumers } from './workers.ts'

/**
 * `replace` carried out, make before break: called once the new certificate is in place, with the
 * account's certificates listed since. Each older certificate is kept if a checked Worker binds
 * it; otherwise it is read afresh right before it is judged (planRetire), and the plan made of that
 * is carried out: a delete that fails is reported, not fatal, as the new one is in place.
 */
export function replaceOlder(
  reads: RetireReads,
  certificates: readonly MtlsCertificate[],
  target: RotationTarget,
): Promise<Replacement[]> {
  return judgeOlder(
    reads.api,
    certificates,
    target,
    async (certificate) =>
      (await keptForConsumers({ ...reads, movedByDeploy: new Set() }, certificate)).kept ??
      applyRetire(reads, certificate, planRetire(await readRetireFacts(reads, certificate, true))),
  )
}

/** Carries out one older certificate's plan: its hostnames detached first, then deleted or kept. */
async function applyRetire(
  { api, zone: zoneReads }: RetireReads,
  certificate: MtlsCertificate,
  plan: RetirePlan,
): Promise<Replacement> {
  const zone = zoneReads?.client
  let base: Replacement = { ...describe(certificate), action: 'kept', reason: '', warn: true }
  const release = plan.release
  if (zone && release) {
    if (release.detach.length > 0) await detachHostnames(zone, certificate.id, release)
    base = { ...base, hostnames: { ...release, applied: true } }
  }
  try {
    if (plan.action === 'keep') return { ...base, reason: plan.reason }
    if (plan.when === 'once-unused') {
      const detached = release?.detach.length ?? 0
      const associations = await waitUntilUnused(
        () => api.listAssociations(certificate.id),
        api.clock,
        api.deadlineAt(),
        (answer) => inUseElsewhere(answer, detached) === undefined,
      )
      if (associations.length > 0) {
        const reason =
          inUseElsewhere(associations, detached) ??
          `still in use by ${describeServices(associations)} when timeout-seconds ran out`
        return { ...base, reason }
      }
    }
    // Another run may have rewritten the new CA's list since the detach: deleting would leave these with no CA.
    const gaveUp = release?.detach ?? []
    const lost = zoneReads && gaveUp.length > 0 ? missingFrom(await zoneReads.newServes(), gaveUp) : []
    if (lost.length > 0) {
      const reason = `the new CA no longer serves ${lost.join(', ')} (another run may have rewritten its hostnames at the same moment), so it is kept for them: re-run the job to attach them again, and run rotations of this CA and zone in one concurrency group`
      return { ...base, reason }
    }
    await api.deleteCertificate(certificate.id)
    return { ...base, action: 'deleted', reason: NOT_IN_USE, warn: false }
  } catch (error) {
    // Another run rotating the same name at the same moment may have deleted it first.
    if (error instanceof Error && error.cause instanceof ApiError && error.cause.notFound) {
      return { ...base, action: 'already gone', reason: 'deleted meanwhile, by another run', warn: false }
    }
    return failed(api, certificate, error, base)
  }
}

/** Past this many, the warnings about kept certificates are grouped into one annotation; the log still lists each. */
const WARNINGS_SHOWN = 5

/** How a replacement's action reads: a verb the renderer conjugates, or a word. */
export const actionCell = (r: Replacement, form: Verb['form'] = 'participle'): Cell =>
  r.action === 'deleted' || r.action === 'delete' ? { verb: 'delete', done: r.action === 'deleted', form } : r.action

/**
 * One line per certificate replace considered; a kept one the user should look at is a warning, up
 * to WARNINGS_SHOWN, then one warning for the rest. Those the time limit left unchecked are named
 * once, together.
 */
export function replacementLines(replacements: readonly Replacement[]): LogLine[] {
  const lines: LogLine[] = []
  const unchecked = replacements.filter((r) => r.action === 'not checked')
  const checked = replacements.filter((r) => r.action !== 'not checked')
  // One annotation for the rest is worth it only when it stands for two or more.
  let shown = checked.filter((r) => r.warn).length > WARNINGS_SHOWN + 1 ? WARNINGS_SHOWN : Infinity
  const grouped: string[] = []
  for (const r of checked) {
    const parts: Cell[] = [
      `Certificate ${r.id} of the same name${r.uploadedOn ? ` (uploaded ${r.uploadedOn})` : ''}: `,
      actionCell(r, 'past'),
      ', ',
      ...detachNote(r.hostnames),
      `${r.reason}.`,
    ]
    if (!r.warn) lines.push({ level: 'info', parts })
    else if (grouped.length === 0 && shown-- > 0) lines.push({ level: 'warning', parts })
    else {
      lines.push({ level: 'info', parts })
      grouped.push(r.id)
    }
  }
  if (grouped.length > 0) {
    lines.push({
      level: 'warning',
      parts: [
        `${plural(grouped.length, 'more certificate')} of the same name were kept, each for the reason logged above: ${someOf(grouped)}.`,
      ],
    })
  }
  const [first] = unchecked
  if (first) {
    lines.push({
      level: 'warning',
      parts: [
        `${plural(unchecked.length, 'older certificate')} of the same name ${unchecked.length === 1 ? 'was' : 'were'} not checked, as ${first.reason}: kept. Re-run the job to finish; not checked: ${someOf(unchecked.map((r) => r.id))}.`,
      ],
    })
  }
  return lines
}
