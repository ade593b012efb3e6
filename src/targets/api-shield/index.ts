import { isHostname, isZoneId } from '../../api-shield/settings.ts'
import { attachHostnames, readAttachPlan } from '../../api-shield/zone.ts'
import type { AttachPlan, HostnameAttachment } from '../../api-shield/plan.ts'
import type { ApiShieldTarget } from '../../certificate/spec.ts'
import { isNew, type CertificateRef, type EntryPlan, type Step } from '../../plan/step.ts'
import { placedOf, type UseTarget } from '../../plan/target.ts'
import type { AttachData } from './data.ts'
import { reportAttach } from './report.ts'

/**
 * API Shield mTLS: the zone's hostnames whose client certificates the CA verifies. Planned from the
 * CA's hostnames as read (a dry run; a real run reads them right before it writes), applied as read,
 * merge, write, read back; an older CA gives its hostnames up only once the new one serves them.
 */

export const API_SHIELD = 'api-shield'

export const apiShield: UseTarget<AttachPlan | undefined, AttachData> = {
  name: API_SHIELD,
  unfinished: 'attaches the hostnames',
  appliesTo: (entry) => entry.spec.apiShield !== undefined,

  async observe(entry, certificate, context) {
    const given = entry.spec.apiShield
    if (!given || !context.forecast) return undefined
    const id = isNew(certificate) ? undefined : certificate
    return readAttachPlan(context.api.zoneHostnames(given.zoneId), id, given.hostnames)
  },

  plan(entry: EntryPlan, _certificate: CertificateRef, observed, context) {
    const given = entry.spec.apiShield as ApiShieldTarget
    const atEnd =
      entry.spec.replace && context.replaceWhen === 'end-of-job' ? { retiresAtEnd: entry.spec.name ?? '' } : {}
    const planned = observed ? { planned: observed } : {}
    return [{ target: API_SHIELD, action: 'attach', when: 'now', data: { ...given, ...planned, ...atEnd } }]
  },

  async apply(step, state, context) {
    const { certificate, created } = placedOf(state)
    return attachHostnames(context.api.zoneHostnames(step.data.zoneId), certificate.id, step.data.hostnames, created)
  },

  report: (step, outcome, certificateId) =>
    reportAttach(step, outcome as HostnameAttachment | undefined, certificateId),

  retireGuard: (_entry, steps: readonly Step<AttachData>[]) =>
    steps.map(({ data }) => ({
      zoneId: data.zoneId,
      hostnames: data.hostnames,
      ...(data.planned ? { planned: data.planned.after } : {}),
    }))[0],

  retireReads(saved, newId, context) {
    if (!isSaved(saved)) return 'its API Shield zone or hostnames are not as saved'
    const client = context.api.zoneHostnames(saved.zoneId)
    // What the new CA serves is read from Cloudflare again before each old CA gives up a hostname;
    // in a plan whose CA is not attached yet, the attach plan's list stands for it.
    const newServes =
      context.forecast || newId === undefined
        ? () => Promise.resolve(saved.planned ?? saved.hostnames)
        : () => client.read(newId)
    return { zone: { client, newServes } }
  },
}

interface Saved {
  zoneId: string
  hostnames: string[]
  planned?: string[]
}

function isSaved(value: unknown): value is Saved {
  if (typeof value !== 'object' || value === null) return false
  const { zoneId, hostnames, planned } = value as Record<string, unknown>
  const list = (v: unknown): boolean => Array.isArray(v) && v.length > 0 && v.every(isHostname)
  return isZoneId(zoneId) && list(hostnames) && (planned === undefined || Array.isArray(planned))
}
