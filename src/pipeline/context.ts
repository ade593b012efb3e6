import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import type { MtlsCertificate } from '../cloudflare/mtls/answers.ts'
import { OperationError } from '../core/errors.ts'
import type { RetireReads } from '../replace/read.ts'
import type { TargetContext } from '../plan/target.ts'
import { useTarget } from '../targets/registry.ts'

/** The context every target plans and applies with, its retire reads gathered from the use targets. */
export function targetContext(
  api: CloudflareApi,
  settings: Omit<TargetContext, 'api' | 'retireReads' | 'listing'>,
  listing: readonly MtlsCertificate[] | undefined,
): TargetContext {
  const context: TargetContext = {
    api,
    ...settings,
    ...(listing ? { listing } : {}),
    retireReads: (guards, newId) => {
      const reads: RetireReads = { api }
      for (const guard of guards) {
        const part = useTarget(guard.target).retireReads?.(guard.saved, newId, context)
        // Saved state the post step cannot trust: nothing is deleted for it.
        if (typeof part === 'string') throw new OperationError(part)
        if (!part) continue
        // Each target's moves and checks add up; the rest is one target's own.
        const moved = [...(reads.movedByDeploy ?? []), ...(part.movedByDeploy ?? [])]
        const also = [...(reads.alsoUsedBy ?? []), ...(part.alsoUsedBy ?? [])]
        Object.assign(
          reads,
          part,
          moved.length > 0 ? { movedByDeploy: new Set(moved) } : {},
          also.length > 0 ? { alsoUsedBy: also } : {},
        )
      }
      return reads
    },
  }
  return context
}
