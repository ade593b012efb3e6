import { isRecord } from '../../core/record.ts'
import { isHostname, isZoneId } from '../../api-shield/settings.ts'
import { isCertificateId, isCertificateName } from '../../cloudflare/values.ts'

/**
 * An origin pull retire step as the post step finds it saved, every field checked: the post step
 * deletes the certificates it names, so one it did not write is never acted on.
 */
export function savedOriginPullProblem(value: Readonly<Record<string, unknown>>): string | undefined {
  const data = value.data
  if (!isRecord(data) || !isRecord(data.rotation)) return 'it has no origin pull certificate to rotate to'
  const { id, name } = data.rotation
  if (!isCertificateId(id)) return 'its id is not a Cloudflare certificate id'
  if (typeof name !== 'string' || (name !== '' && !isCertificateName(name))) return 'its name is not a single line'
  if (!isZoneId(data.zoneId)) return 'its zone is not a Cloudflare zone id'
  if (!Array.isArray(data.hostnames) || !data.hostnames.every(isHostname)) return 'its hostnames are not hostnames'
  if (data.others !== undefined && !(Array.isArray(data.others) && data.others.every(isHostname)))
    return "its other entries' hostnames are not hostnames"
  if (!Array.isArray(data.steps) || !data.steps.every(isSavedStep))
    return 'its steps are not retires of origin pull certificates'
  return undefined
}

const isSavedStep = (step: unknown): boolean =>
  isRecord(step) &&
  (step.action === 'retire' || step.action === 'keep') &&
  isCertificateId(step.id) &&
  typeof step.reason === 'string'
