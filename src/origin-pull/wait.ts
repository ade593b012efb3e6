import type { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { readHostnameAssignment } from '../cloudflare/origin-pull/hostnames.ts'
import { readZoneOriginCertificate } from '../cloudflare/origin-pull/zone.ts'
import { OperationError } from '../core/errors.ts'

/**
 * Waiting for Cloudflare to deploy an origin pull certificate: read, and read again after 1 s, 2 s,
 * 4 s … (at most 30 s apart), until it reads `active`, a `*_timed_out` status, or the run's time
 * budget would run out before the next read.
 */

const FIRST_WAIT_MS = 1000
const MAX_WAIT_MS = 30_000

const timedOut = (status: string | undefined): boolean => status !== undefined && status.endsWith('_timed_out')

/** Reads `check` until it says done; throws the message `stuck` gives when time runs out. */
async function poll(api: CloudflareApi, check: () => Promise<boolean>, stuck: () => string): Promise<number> {
  const started = api.clock.now()
  for (let n = 0; ; n++) {
    if (await check()) return api.clock.now() - started
    const wait = Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** n)
    if (api.clock.now() + wait >= api.deadlineAt()) throw new WaitOutOfTime(stuck())
    await api.clock.sleep(wait)
  }
}

/** timeout-seconds ran out while Cloudflare was still deploying: it may yet become active. */
export class WaitOutOfTime extends OperationError {}

/** Cloudflare gave up deploying the certificate for these hostnames: the caller may point them back. */
export class DeploymentTimedOut extends OperationError {
  readonly hostnames: readonly string[]

  constructor(message: string, hostnames: readonly string[]) {
    super(message)
    this.hostnames = hostnames
  }
}

/**
 * Until each hostname reads `active` with `certId`; a `*_timed_out` status fails (DeploymentTimedOut),
 * naming every hostname that read one in that round.
 */
export async function waitForHostnames(
  api: CloudflareApi,
  zoneId: string,
  hostnames: readonly string[],
  certId: string,
): Promise<number> {
  const pending = new Map<string, string>(hostnames.map((h) => [h, 'not read']))
  return poll(
    api,
    async () => {
      const failed = new Map<string, string>()
      for (const hostname of [...pending.keys()]) {
        const read = await readHostnameAssignment(api, zoneId, hostname)
        const status = read.status ?? 'no status'
        if (timedOut(read.status) || timedOut(read.certStatus))
          failed.set(hostname, (timedOut(read.status) ? read.status : read.certStatus) ?? status)
        else if (read.certId === certId && read.status === 'active' && read.enabled === true) pending.delete(hostname)
        else pending.set(hostname, read.certId === certId ? status : `certificate ${read.certId ?? 'none'}, ${status}`)
      }
      if (failed.size > 0) {
        const names = [...failed.keys()].join(', ')
        const statuses = [...new Set(failed.values())].join(', ')
        throw new DeploymentTimedOut(
          `Cloudflare could not deploy the origin pull certificate ${certId} for ${names} in zone ${zoneId}: ${failed.size === 1 ? 'it reads' : 'they read'} ${statuses}`,
          [...failed.keys()],
        )
      }
      return pending.size === 0
    },
    () =>
      `Timed out waiting for the origin pull certificate ${certId} to become active in zone ${zoneId} (timeout-seconds): ${[...pending].map(([h, s]) => `${h} reads ${s}`).join('; ')}. Nothing was deleted; a re-run goes on waiting from where Cloudflare is`,
  )
}

/** Until the zone-level certificate reads `active`; a `*_timed_out` status fails. */
export async function waitForZoneCertificate(api: CloudflareApi, zoneId: string, id: string): Promise<number> {
  let last = 'not read'
  return poll(
    api,
    async () => {
      const read = await readZoneOriginCertificate(api, zoneId, id)
      if (read === 'absent')
        throw new OperationError(
          `The zone-level origin pull certificate ${id} of zone ${zoneId} is gone while waiting for it to become active`,
        )
      if (timedOut(read.status))
        throw new OperationError(
          `Cloudflare could not deploy the zone-level origin pull certificate ${id} in zone ${zoneId}: it reads ${read.status}. The older certificates were not deleted. A re-run finds this same certificate and reads the same status: delete it (SSL/TLS → Origin Server) so that the next run uploads it again, or ask Cloudflare support`,
        )
      last = read.status
      return read.status === 'active'
    },
    () =>
      `Timed out waiting for the zone-level origin pull certificate ${id} of zone ${zoneId} to become active (timeout-seconds): it reads ${last}. The older certificates were not deleted; re-run the job to finish`,
  )
}
