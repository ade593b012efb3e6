/**
 * Which hostnames to attach to the new CA and detach from an old one. Pure set logic over the lists
 * Cloudflare keeps per CA and zone. Hostnames compare as written (lower case, as the inputs are
 * normalised): a wildcard is its own entry, and `*.example.com` does not stand for `api.example.com`.
 */

export interface AttachPlan {
  /** The CA's hostnames after the step: those it had, then the given ones it lacked. */
  after: string[]
  /** Given and not there yet: what the step adds. */
  attached: string[]
  /** Given and there already. */
  alreadyThere: string[]
}

/** Read, merge, write: the given hostnames join those the CA has, none of which is dropped. */
export function planAttach(current: readonly string[], given: readonly string[]): AttachPlan {
  const had = new Set(current.map(normalise))
  const attached = missingFrom(current, given)
  return {
    after: [...unique(current), ...attached],
    attached,
    alreadyThere: unique(given).filter((hostname) => had.has(normalise(hostname))),
  }
}

/** The given hostnames a CA's list lacks: after a write, what Cloudflare did not keep. */
export function missingFrom(current: readonly string[], given: readonly string[]): string[] {
  const had = new Set(current.map(normalise))
  return unique(given).filter((hostname) => !had.has(normalise(hostname)))
}

/** The new CA's hostnames in one zone: planned (a dry run, or nothing to write) or written and read back. */
export interface HostnameAttachment extends AttachPlan {
  zoneId: string
  /** True once written: `after` is then the list Cloudflare holds, read back. */
  applied: boolean
}

/** Whether the plan changes anything: a re-run with every hostname there already writes nothing. */
export const needsWrite = (plan: AttachPlan): boolean => plan.attached.length > 0

export interface ReleasePlan {
  /** The zone, once known (replace's reads): the summary names it. */
  zoneId?: string
  /** The old CA's hostnames that the new CA now serves: taken off the old one. */
  detach: string[]
  /** The old CA's other hostnames, which this step was not given: it keeps them, and so is kept itself. */
  keep: string[]
}

/** What happened, or would happen, to an older CA's hostnames in the zone. */
export interface HostnameRelease extends ReleasePlan {
  /** True once `detach` was written off the old CA. */
  applied: boolean
}

/** An old CA gives up the hostnames the new one serves, and keeps the rest. */
export function planRelease(oldHostnames: readonly string[], newServes: readonly string[]): ReleasePlan {
  const served = new Set(newServes.map(normalise))
  const old = unique(oldHostnames)
  return {
    detach: old.filter((hostname) => served.has(normalise(hostname))),
    keep: old.filter((hostname) => !served.has(normalise(hostname))),
  }
}

/** Cloudflare may answer with another case than the one written: compare without it. */
const normalise = (hostname: string): string => hostname.toLowerCase()

/** Each hostname once, the first spelling kept, in order. */
function unique(hostnames: readonly string[]): string[] {
  const seen = new Set<string>()
  return hostnames.filter((hostname) => {
    const key = normalise(hostname)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
