import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { assignHostnames } from '../cloudflare/origin-pull/hostnames.ts'
import { errorMessage, OperationError } from '../core/errors.ts'
import { DeploymentTimedOut, WaitOutOfTime } from './wait.ts'

/**
 * What a failed per-hostname wait leaves behind, said in its error. Once the hostnames point at the new
 * certificate, the one they served before is found by no later run (a run retires what the entry's
 * hostnames point at): so a hostname whose deployment timed out is pointed back at it, which keeps it
 * serving and assigned for the re-run to retire; and when time ran out mid-deployment, the error names
 * it. Always throws.
 */
export async function afterFailedWait(
  api: CloudflareApi,
  zoneId: string,
  error: unknown,
  before: readonly { hostname: string; id: string }[],
): Promise<never> {
  if (error instanceof WaitOutOfTime && before.length > 0) {
    const ids = [...new Set(before.map((b) => b.id))]
    throw new OperationError(
      `${error.message}. A re-run does not delete what the hostnames served before (${ids.join(', ')}), as none of them points at it any more: once the new certificate is active, delete ${ids.length === 1 ? 'it' : 'them'} by hand (SSL/TLS → Origin Server)`,
    )
  }
  if (!(error instanceof DeploymentTimedOut)) throw error
  const back = before.filter((b) => error.hostnames.includes(b.hostname))
  const retry = 're-run to try the new one again, and if it times out again, ask Cloudflare support'
  if (back.length === 0)
    throw new OperationError(`${error.message}. Nothing was deleted, and no certificate served it before; ${retry}`)
  const names = back.map((b) => `${b.hostname} (${b.id})`).join(', ')
  try {
    await assignHostnames(
      api,
      zoneId,
      back.map((b) => ({ hostname: b.hostname, certId: b.id, enabled: true })),
    )
  } catch (cause) {
    throw new OperationError(
      `${error.message}. Nothing was deleted; pointing the hostnames back at what they served before failed too (${names}: ${errorMessage(cause)}); point them back by hand, then ${retry}`,
    )
  }
  throw new OperationError(
    `${error.message}. Pointed it back at the certificate it served before (${names}), and deleted nothing; ${retry}`,
  )
}
