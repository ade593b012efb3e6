import type { Report } from '../core/report.ts'
import type { EntryPlan } from '../plan/step.ts'

/** The step's outputs, as projections of the entries' reports (action.yml names them). */

/** Every output a single certificate's step sets, defaults first: a target that did not report leaves its default. */
const SINGLE_DEFAULTS: Record<string, string | string[]> = {
  'certificate-id': '',
  'expires-on': '',
  issuer: '',
  'serial-number': '',
  signature: '',
  'uploaded-on': '',
  name: '',
  ca: '',
  'fingerprint-sha256': '',
  created: 'false',
  'replaced-ids': [],
  'replace-candidates': [],
  hostnames: [],
  'wrangler-configs': [],
}

/**
 * The single step's outputs. An entry that failed once its certificate was placed keeps every output
 * but `hostnames`, which cannot be known then: a re-run adopts the certificate and finishes.
 */
export function singleOutputs(report: Report, failed: boolean): Record<string, string> {
  const outputs = Object.fromEntries(
    Object.entries({ ...SINGLE_DEFAULTS, ...report.outputs }).map(([name, value]) => [
      name,
      Array.isArray(value) ? JSON.stringify(value) : value,
    ]),
  )
  if (failed) delete outputs.hostnames
  return outputs
}

/** The entry's value in the manifest's `certificates` output. */
export interface CertificateOutput {
  id: string
  'expires-on': string
  created: boolean
  'fingerprint-sha256': string
  hostnames?: string[]
  'wrangler-configs'?: string[]
}

/** The manifest's `certificates` output: each entry placed (done, or failed after placing), by name. */
export function certificatesOutput(
  reports: readonly { entry: EntryPlan; report: Report }[],
): Record<string, CertificateOutput> {
  const output: Record<string, CertificateOutput> = {}
  for (const { entry, report } of reports) {
    const o = report.outputs
    if (typeof o['certificate-id'] !== 'string') continue
    output[entry.name] = {
      id: o['certificate-id'],
      'expires-on': String(o['expires-on'] ?? ''),
      created: o.created === 'true',
      'fingerprint-sha256': String(o['fingerprint-sha256'] ?? ''),
      ...(Array.isArray(o.hostnames) ? { hostnames: o.hostnames } : {}),
      ...(Array.isArray(o['wrangler-configs']) ? { 'wrangler-configs': o['wrangler-configs'] } : {}),
    }
  }
  return output
}

/** Every Wrangler file the step wrote, workspace-relative, each once: what a recipe proposes back. */
export function writtenConfigs(reports: readonly { report: Report }[]): string[] {
  const written = reports.flatMap(({ report }) => {
    const configs = report.outputs['wrangler-configs']
    return Array.isArray(configs) ? configs : []
  })
  return [...new Set(written)]
}
