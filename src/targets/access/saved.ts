import { isRecord } from '../../core/record.ts'
import { isZoneId } from '../../api-shield/settings.ts'
import { isCertificateId, isCertificateName } from '../../cloudflare/values.ts'

/**
 * An Access retire step as the post step finds it saved, every field checked: the post step detaches
 * and deletes the CAs it names, so one it did not write is never acted on.
 */
export function savedAccessProblem(value: Readonly<Record<string, unknown>>): string | undefined {
  const data = value.data
  if (!isRecord(data) || !isRecord(data.rotation) || !isRecord(data.owner)) return 'it has no Access CA to rotate to'
  const { id, name } = data.rotation
  if (!isCertificateId(id)) return 'its id is not a Cloudflare certificate id'
  if (typeof name !== 'string' || !name || !isCertificateName(name))
    return 'its name is not a single line of 1 to 200 characters'
  const owner = data.owner
  const ownerId = Object.keys(owner).length === 1 ? (owner.accountId ?? owner.zoneId) : undefined
  if (!isZoneId(ownerId)) return 'its account or zone is not a Cloudflare id'
  // Never the CA rotated to, and only CAs of the rotation's name: what the main step plans, and all it does.
  const retires = (step: unknown): boolean =>
    isSavedStep(step) && (step.action !== 'retire' || (step.id !== id && step.name === name))
  if (!Array.isArray(data.steps) || !data.steps.every(retires)) return 'its steps are not retires of Access CAs'
  return undefined
}

function isSavedStep(step: unknown): step is Record<string, unknown> {
  if (!isRecord(step) || !isCertificateId(step.id) || typeof step.name !== 'string') return false
  if (step.action === 'keep') return typeof step.reason === 'string'
  return (
    step.action === 'retire' &&
    Array.isArray(step.hostnames) &&
    step.hostnames.every((hostname) => typeof hostname === 'string')
  )
}
