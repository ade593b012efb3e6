import * as core from '@actions/core'
import type { RotationTarget } from './rotation.ts'

/**
 * What the main step hands to the post step. action.yml runs the same bundle for both; the runner
 * gives the post process what the main step saved (`core.saveState`) as STATE_<name> variables.
 */

const IS_POST = 'isPost'
const ROTATION = 'rotation'

/** True in the post step: the main step marks itself first thing, so the post step sees the mark. */
export function isPostStep(): boolean {
  return core.getState(IS_POST) === 'true'
}

export function markMainStep(): void {
  core.saveState(IS_POST, 'true')
}

/** The certificate the post step replaces older ones with, saved once it is in place. */
export function saveRotation(target: RotationTarget): void {
  core.saveState(ROTATION, JSON.stringify(target))
}

/** The saved rotation, or undefined when the main step scheduled none (or what it saved cannot be read). */
export function loadRotation(): RotationTarget | undefined {
  const saved = core.getState(ROTATION)
  if (!saved) return undefined
  try {
    return parseRotation(JSON.parse(saved) as unknown)
  } catch {
    return undefined
  }
}

function parseRotation(value: unknown): RotationTarget | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { id, name, ca, issuedAt, uploadedOn } = value as Record<string, unknown>
  if (typeof id !== 'string' || !id || typeof name !== 'string' || !name || typeof ca !== 'boolean') return undefined
  if (typeof issuedAt !== 'number' || typeof uploadedOn !== 'string') return undefined
  return { id, name, ca, issuedAt, uploadedOn }
}
