import { SavedStateError, loadFromMainStep, saveForPostStep } from '../action/state-helper.ts'
import { isHostname, isZoneId } from '../api-shield/settings.ts'
import { isCertificateId, isCertificateName, parseTime } from '../cloudflare/values.ts'
import type { ApiShieldTarget } from '../certificate/spec.ts'
import type { RotationTarget } from './policy.ts'
import { isWorkerName } from '../cloudflare/workers.ts'
import type { WorkerScope } from './workers.ts'

/**
 * The rotations the main step hands to its post step, in the runner's saved state: a list, written
 * as its one entry when there is one (the form a step of one certificate has always saved).
 */
const ROTATIONS = 'rotation'

/** One certificate the post step replaces older ones with: all it needs, as no certificate input is read again. */
export interface SavedRotation {
  target: RotationTarget & { id: string }
  /** API Shield: the zone and the hostnames the new CA was given there. */
  apiShield?: ApiShieldTarget
  /** Workers: those whose bindings keep an older certificate (absent: none are read). */
  workers?: WorkerScope
}

/** The certificates in place, once they are; one per spec that schedules replace. */
export function saveRotations(rotations: readonly SavedRotation[]): void {
  const entries = rotations.map(({ target, apiShield, workers }) => ({
    ...target,
    ...(apiShield ? { apiShield } : {}),
    ...(workers ? { workers } : {}),
  }))
  saveForPostStep(ROTATIONS, entries.length === 1 ? entries[0] : entries)
}

/** What the post step finds: rotations to finish, or saved text it cannot trust (then nothing is deleted). */
type SavedRotations = { rotations: SavedRotation[] } | { problem: string }

/** The saved rotations; undefined when the main step scheduled none. */
export function loadRotations(): SavedRotations | undefined {
  let saved: string | undefined
  try {
    saved = loadFromMainStep(ROTATIONS)
  } catch (error) {
    if (error instanceof SavedStateError) return { problem: error.message }
    throw error
  }
  return saved === undefined ? undefined : parseRotations(saved)
}

/**
 * The rotations in the saved text, every field of every one checked: the post step deletes what is
 * older than each, so a field that does not read as the main step writes it (an upload time that is
 * not a time makes every certificate "older") gives a problem for the whole list, never a target.
 */
export function parseRotations(saved: string): SavedRotations {
  let value: unknown
  try {
    value = JSON.parse(saved)
  } catch {
    return { problem: 'it is not JSON' }
  }
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) return { problem: 'it is an empty list' }
  const rotations: SavedRotation[] = []
  for (const [index, entry] of list.entries()) {
    const rotation = parseRotation(entry)
    if ('problem' in rotation) {
      return { problem: list.length === 1 ? rotation.problem : `rotation ${index + 1}: ${rotation.problem}` }
    }
    rotations.push(rotation)
  }
  return { rotations }
}

function parseRotation(value: unknown): SavedRotation | { problem: string } {
  if (!isRecord(value)) return { problem: 'it is not an object' }
  const { id, name, ca, issuedAt, uploadedOn, apiShield, workers } = value
  if (!isCertificateId(id)) return { problem: 'its id is not a Cloudflare certificate id' }
  if (typeof name !== 'string' || !name || !isCertificateName(name)) {
    return { problem: 'its name is not a single line of 1 to 200 characters' }
  }
  if (typeof ca !== 'boolean') return { problem: 'its ca flag is not true or false' }
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) return { problem: 'its issue time is not a number' }
  if (typeof uploadedOn !== 'string' || parseTime(uploadedOn) === undefined) {
    return { problem: 'its upload time is not an ISO 8601 time' }
  }
  const target = { id, name, ca, issuedAt, uploadedOn }
  const scope = workers === undefined ? undefined : parseWorkers(workers)
  if (scope && 'problem' in scope) return scope
  const rotation: SavedRotation = { target, ...scope }
  if (apiShield === undefined) return rotation
  const zone = parseApiShield(apiShield, ca)
  return 'problem' in zone ? zone : { ...rotation, apiShield: zone }
}

/** `every`, or the names of Workers as Cloudflare gives them: the post step reads their bindings. */
function parseWorkers(value: unknown): { workers: WorkerScope } | { problem: string } {
  if (value === 'every') return { workers: value }
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((name) => typeof name === 'string' && isWorkerName(name))
  ) {
    return { problem: 'its Workers are not a list of Worker names' }
  }
  return { workers: value as string[] }
}

/** The zone id and hostnames as the input parsers store them (api-shield/settings.ts). */
function parseApiShield(value: unknown, ca: boolean): ApiShieldTarget | { problem: string } {
  if (!ca) return { problem: 'it has API Shield hostnames for a certificate that is not a CA' }
  if (!isRecord(value) || !isZoneId(value.zoneId)) return { problem: 'its zone id is not 32 hex digits' }
  const { hostnames } = value
  if (!Array.isArray(hostnames) || hostnames.length === 0 || !hostnames.every(isHostname)) {
    return { problem: 'its hostnames are not a list of hostnames' }
  }
  return { zoneId: value.zoneId, hostnames }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
