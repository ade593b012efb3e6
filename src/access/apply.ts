import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { AccessOwner } from '../cloudflare/endpoints.ts'
import {
  listAccessCertificates,
  ownerText,
  refusedForTakenHostname,
  setAccessHostnames,
  uploadAccessCertificate,
} from '../cloudflare/access/client.ts'
import { errorMessage, OperationError } from '../core/errors.ts'
import { findAccessCertificate, type AccessSpec, type AccessStep } from './plan.ts'
import { detachHostnames } from './detach.ts'
import { FIRST_WAIT_MS, RETIRE_ATTEMPTS, retireAccessCertificate, type RetireOutcome } from './retire.ts'

/**
 * Carrying out an Access plan, one step at a time (plan.ts): each step's function is exported so the
 * pipeline can wrap them; `applyAccessPlan` runs them in order. Lines come back as values, not logged.
 */

export interface AccessApplied {
  /** The id of the spec's CA in the store. */
  id?: string
  /** When Cloudflare stored it, when it says. */
  uploadedOn?: string
  uploaded: boolean
  lines: string[]
  warnings: string[]
  retired: RetireOutcome[]
  /** The old CAs `swap: detach-first` detached, with the hostnames they held: given back should the attach fail. */
  detached?: { id: string; name: string; hostnames: string[] }[]
}

export const emptyAccessResult = (): AccessApplied => ({ uploaded: false, lines: [], warnings: [], retired: [] })

export async function applyAccessStep(
  api: CloudflareApi,
  owner: AccessOwner,
  spec: AccessSpec,
  step: AccessStep,
  result: AccessApplied,
): Promise<void> {
  switch (step.action) {
    case 'upload': {
      const uploaded = await uploadAccessCertificate(
        api,
        owner,
        {
          certificate: spec.certificate,
          name: step.name,
          ...(step.hostnames.length > 0 ? { associatedHostnames: step.hostnames } : {}),
        },
        (certificates) => findAccessCertificate(certificates, spec.certificate),
      )
      Object.assign(
        result,
        { id: uploaded.id, uploaded: true },
        uploaded.createdAt ? { uploadedOn: uploaded.createdAt } : {},
      )
      result.lines.push(
        `Uploaded Access CA '${step.name}' to ${ownerText(owner)} as ${uploaded.id}${step.hostnames.length > 0 ? ` with ${step.hostnames.join(', ')}` : ''}.`,
      )
      return
    }
    case 'reuse':
      result.id = step.id
      if (step.uploadedOn) result.uploadedOn = step.uploadedOn
      result.lines.push(`Access CA '${step.name}' is already in ${ownerText(owner)} as ${step.id}: no upload.`)
      return
    case 'attach':
      await attach(api, owner, spec, step.hostnames, result)
      if (step.drops)
        result.lines.push(
          `Took ${step.drops.join(', ')} off Access CA '${spec.name}' (${result.id}): the entry does not list them, and this run gives them to no other CA.`,
        )
      return
    case 'detach': {
      const kept = await detachHostnames(api, owner, step.id, step.removed, step.keep)
      if (step.gap)
        (result.detached ??= []).push({ id: step.id, name: step.name, hostnames: [...kept, ...step.removed] })
      result.lines.push(`Detached ${step.removed.join(', ')} from Access CA '${step.name}' (${step.id}).`)
      return
    }
    case 'retire': {
      const outcome = await retireAccessCertificate(api, owner, step, result.id)
      result.retired.push(outcome)
      if (outcome.outcome === 'deleted') result.lines.push(`Deleted the old Access CA '${step.name}' (${step.id}).`)
      else result.warnings.push(`${outcome.reason}.`)
      return
    }
    case 'keep':
      result.lines.push(`Kept Access CA '${step.name}' (${step.id}): ${step.reason}.`)
  }
}

/** Runs the steps in order; a refused attach stops it, with the old CAs untouched. */
export async function applyAccessPlan(
  api: CloudflareApi,
  owner: AccessOwner,
  spec: AccessSpec,
  steps: readonly AccessStep[],
): Promise<AccessApplied> {
  const result = emptyAccessResult()
  for (const step of steps) await applyAccessStep(api, owner, spec, step, result)
  return result
}

async function attach(
  api: CloudflareApi,
  owner: AccessOwner,
  spec: AccessSpec,
  hostnames: string[],
  result: AccessApplied,
): Promise<void> {
  if (result.id === undefined)
    throw new OperationError(
      `Access CA '${spec.name}': no id to attach hostnames to (the plan has no upload or reuse before the attach)`,
    )
  try {
    await setAccessHostnames(api, owner, result.id, hostnames)
  } catch (error) {
    if (result.detached?.length) return attachAfterDetach(api, owner, spec, hostnames, result, error)
    if (!refusedForTakenHostname(error) || spec.swap === 'detach-first') throw error
    const holders = await listAccessCertificates(api, owner).catch(() => [])
    const held = holders
      .filter(
        (c) => c.id !== result.id && (c.associatedHostnames ?? []).some((h) => hostnames.includes(h.toLowerCase())),
      )
      .map((c) => `'${c.name ?? c.id}' (${c.id})`)
    throw new OperationError(
      `Cloudflare refused to give ${hostnames.join(', ')} to the new Access CA '${spec.name}' (${result.id}) while ${held.length > 0 ? `Access CA ${held.join(', ')} holds them` : 'another Access CA holds them'}: ${errorMessage(error)}. The old CA is left serving them, and the new CA is in the store without them. To move them anyway, set swap: detach-first on the entry: the hostnames then have no CA for a moment (the plan shows the gap)`,
      { cause: error },
    )
  }
  result.lines.push(`Attached ${hostnames.join(', ')} to Access CA '${spec.name}' (${result.id}).`)
}

/**
 * `swap: detach-first` after its detach: Cloudflare notices a detach late, so an attach refused as
 * "already associated" is tried again (waits of 2 s, 4 s …, within timeout-seconds). One that never
 * takes gives the hostnames back to the old CAs: the gap the plan showed lasts a moment, not for good.
 */
async function attachAfterDetach(
  api: CloudflareApi,
  owner: AccessOwner,
  spec: AccessSpec,
  hostnames: string[],
  result: AccessApplied,
  refused: unknown,
): Promise<void> {
  const id = result.id ?? ''
  let last = refused
  for (let attempt = 1; attempt < RETIRE_ATTEMPTS && refusedForTakenHostname(last); attempt++) {
    const wait = FIRST_WAIT_MS * 2 ** (attempt - 1)
    if (api.clock.now() + wait >= api.deadlineAt()) break
    await api.clock.sleep(wait)
    try {
      await setAccessHostnames(api, owner, id, hostnames)
      result.lines.push(`Attached ${hostnames.join(', ')} to Access CA '${spec.name}' (${id}).`)
      return
    } catch (error) {
      last = error
    }
  }
  const olds = result.detached ?? []
  const said = olds.map((old) => `${old.hostnames.join(', ')} back to Access CA '${old.name}' (${old.id})`).join('; ')
  const failed = `Cloudflare refused to give ${hostnames.join(', ')} to the new Access CA '${spec.name}' (${id}) after swap: detach-first detached them (${errorMessage(last)})`
  try {
    for (const old of olds) await setAccessHostnames(api, owner, old.id, old.hostnames)
  } catch (error) {
    throw new OperationError(
      `${failed}, and giving them back failed too (${errorMessage(error)}): they have no Access CA now; give ${said} by hand`,
      { cause: last },
    )
  }
  throw new OperationError(`${failed}. Gave ${said}, as before the run; re-run the job later`, { cause: last })
}
