import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { workerDeployments, workerVersionBindings, type WorkerDeployment } from '../cloudflare/workers/deployments.ts'
import type { WorkerCertificateBinding } from '../cloudflare/workers/answers.ts'

/**
 * What one Worker serves and may serve again: every version of its current deployment (whatever its
 * percentage: a 0 % version is reachable by header), and with `rollback`, every version of its last N
 * deployments before that. Each version is read once, however many deployments name it.
 */

/** One version's mTLS bindings, with its share of the current deployment, or how far back it was deployed. */
export interface ServedVersion {
  versionId: string
  /** Its share of the current deployment's traffic; undefined for a version only in earlier deployments. */
  percentage?: number
  /** For a version of an earlier deployment only: 1 for the deployment before the current one. */
  deploymentsBack?: number
  bindings: WorkerCertificateBinding[]
}

export type WorkerServing = { exists: false } | { exists: true; versions: ServedVersion[] }

/** Versions are read this many at a time for one Worker. */
const VERSION_READS = 4

export async function readWorkerVersions(api: CloudflareApi, name: string, rollback = 0): Promise<WorkerServing> {
  const deployments = await workerDeployments(api, name)
  // A Worker never deployed (or none) has no deployments: it serves nothing.
  if (deployments === 'absent') return { exists: false }
  const wanted = versionsOf(deployments.slice(0, 1 + rollback))
  const versions: ServedVersion[] = []
  for (let start = 0; start < wanted.length; start += VERSION_READS) {
    const batch = wanted.slice(start, start + VERSION_READS)
    const read = await Promise.all(batch.map((version) => workerVersionBindings(api, name, version.versionId)))
    batch.forEach((version, index) => versions.push({ ...version, bindings: read[index] ?? [] }))
  }
  return { exists: true, versions }
}

/** The versions named by the deployments (newest first), each once, current ones with their percentage. */
function versionsOf(deployments: readonly WorkerDeployment[]): Omit<ServedVersion, 'bindings'>[] {
  const seen = new Map<string, Omit<ServedVersion, 'bindings'>>()
  deployments.forEach((deployment, back) => {
    for (const { versionId, percentage } of deployment.versions) {
      if (seen.has(versionId)) continue
      seen.set(versionId, back === 0 ? { versionId, percentage } : { versionId, deploymentsBack: back })
    }
  })
  return [...seen.values()]
}

/** Per binding name, the certificates the Worker serves now, with each version's percentage. */
export type ServedBindings =
  { exists: false } | { exists: true; bindings: Record<string, { certificateId: string; percentage: number }[]> }

/**
 * What ONE Worker serves now (the current deployment only), per binding: for a plan that compares the
 * manifest with what is deployed (issue 28).
 */
export async function readWorkerServing(api: CloudflareApi, name: string): Promise<ServedBindings> {
  const serving = await readWorkerVersions(api, name, 0)
  if (!serving.exists) return serving
  const bindings: Record<string, { certificateId: string; percentage: number }[]> = {}
  for (const version of serving.versions) {
    for (const binding of version.bindings) {
      ;(bindings[binding.name] ??= []).push({
        certificateId: binding.certificateId,
        percentage: version.percentage ?? 0,
      })
    }
  }
  return { exists: true, bindings }
}
