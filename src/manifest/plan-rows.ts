import type { CertificateResult } from '../upload/result.ts'
import { buildOutputs } from '../upload/outputs.ts'
import type { PlanRow } from './plan.ts'

/**
 * One entry's rows of the plan, and its part of the `certificates` output, read from what was done
 * or would be done with it (a CertificateResult): pure, so that a dry run and a real run share them.
 */

const REUSED = 'same certificate already in the account'

export function planRows(name: string, result: CertificateResult): PlanRow[] {
  const id = result.certificate?.id
  const withId = id ? { id } : {}
  const rows: PlanRow[] = []
  const placed = result.action === 'uploaded' || result.action === 'would upload'
  rows.push(placed ? { name, action: 'upload', ...withId } : { name, action: 'reuse', ...withId, reason: REUSED })
  const attached = result.attachment?.attached ?? []
  if (attached.length > 0) rows.push({ name, action: 'attach', ...withId, hostnames: attached })
  for (const file of result.wrangler?.edits.files ?? []) {
    for (const entry of file.entries) {
      if (entry.oldId === entry.newId) continue
      rows.push({
        name,
        action: 'write-binding',
        config: file.config,
        section: entry.section,
        oldId: entry.oldId ?? '',
        newId: entry.newId,
      })
    }
  }
  for (const replacement of result.outcome.replacements) {
    const detached = replacement.hostnames?.detach ?? []
    if (detached.length > 0) rows.push({ name, action: 'detach', id: replacement.id, hostnames: detached })
    if (replacement.action === 'deleted' || replacement.action === 'would delete') {
      rows.push({ name, action: 'retire', id: replacement.id, reason: replacement.reason })
    } else if (replacement.action === 'kept' || replacement.action === 'not checked') {
      rows.push({ name, action: 'keep', id: replacement.id, reason: replacement.reason })
    }
  }
  // A dry run lists its candidates among the replacements too; a real run's are for the post step.
  const judged = new Set(result.outcome.replacements.map((replacement) => replacement.id))
  for (const candidate of result.outcome.candidates.filter((id) => !judged.has(id))) {
    rows.push({ name, action: 'retire', id: candidate, reason: 'at the end of the job, if no service uses it then' })
  }
  return rows
}

/** The entry's value in the `certificates` output. */
export interface CertificateOutput {
  id: string
  'expires-on': string
  created: boolean
  'fingerprint-sha256': string
  hostnames?: string[]
  'wrangler-configs'?: string[]
}

/** From a result, or from what a failed entry had placed (PlacedButUnfinished), so that a re-run adopts it. */
export function certificateOutput(result: Parameters<typeof buildOutputs>[0]): CertificateOutput {
  const outputs = buildOutputs(result)
  return {
    id: outputs['certificate-id'],
    'expires-on': outputs['expires-on'],
    created: result.created,
    'fingerprint-sha256': outputs['fingerprint-sha256'],
    ...(result.attachment ? { hostnames: result.attachment.after } : {}),
    ...(result.wrangler ? { 'wrangler-configs': result.wrangler.written } : {}),
  }
}
