import * as core from '@actions/core'
import { isCertificateId, isCertificateName, parseTime } from '../cloudflare/values.ts'
import type { RotationTarget } from './policy.ts'

/** The rotation the main step hands to its post step, in the runner's saved state. */
const ROTATION = 'rotation'

/** The certificate the post step replaces older ones with, saved once it is in place. */
export function saveRotation(target: RotationTarget): void {
  core.saveState(ROTATION, JSON.stringify(target))
}

/** What the post step finds: nothing scheduled, a rotation to finish, or saved text it cannot trust. */
type SavedRotation = { target: RotationTarget } | { problem: string }

/** The saved rotation; undefined when the main step scheduled none. */
export function loadRotation(): SavedRotation | undefined {
  const saved = core.getState(ROTATION)
  return saved ? parseRotation(saved) : undefined
}

/**
 * The rotation in the saved text, every field checked: the post step deletes what is older than
 * it, so a field that does not read as the main step writes it (an upload time that is not a time
 * makes every certificate "older") gives a problem, never a target.
 */
export function parseRotation(saved: string): SavedRotation {
  let value: unknown
  try {
    value = JSON.parse(saved)
  } catch {
    return { problem: 'it is not JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'it is not an object' }
  const { id, name, ca, issuedAt, uploadedOn } = value as Record<string, unknown>
  if (!isCertificateId(id)) return { problem: 'its id is not a Cloudflare certificate id' }
  if (typeof name !== 'string' || !name || !isCertificateName(name)) {
    return { problem: 'its name is not a single line of 1 to 200 characters' }
  }
  if (typeof ca !== 'boolean') return { problem: 'its ca flag is not true or false' }
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return { problem: 'its issue time is not a number' }
  if (typeof uploadedOn !== 'string' || parseTime(uploadedOn) === undefined) {
    return { problem: 'its upload time is not an ISO 8601 time' }
  }
  return { target: { id, name, ca, issuedAt, uploadedOn } }
}
