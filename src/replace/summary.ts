import type { HostnameAttachment } from '../api-shield/plan.ts'
import { escapeForSummary } from '../core/html.ts'
import type { Replacement, RotationTarget } from './policy.ts'

/**
 * replace's parts of the job summary: the older certificates, API Shield's hostnames, and the post
 * step's sections.
 */

export function replacementsTable(replacements: readonly Replacement[]): string {
  const rows = replacements
    .map(
      (r) =>
        `<tr><td><code>${escapeForSummary(r.id)}</code></td><td>${escapeForSummary(r.uploadedOn ?? '')}</td><td>${escapeForSummary(r.action)}</td><td>${escapeForSummary(r.reason)}</td></tr>`,
    )
    .join('\n')
  return `<table>\n<tr><th>ID</th><th>Uploaded on</th><th>Action</th><th>Why</th></tr>\n${rows}\n</table>`
}

/**
 * API Shield: the zone's hostnames, and what happened to each on the new CA and on each older CA
 * (detached, as the new CA serves it, or kept, as this step was not given it). Whether each was done
 * or is only planned comes from the values themselves (`applied`).
 */
export function hostnamesSection(
  zoneId: string,
  replacements: readonly Replacement[],
  attachment?: HostnameAttachment,
): string {
  const attached = new Set(attachment?.attached)
  const given = new Set(attachment?.alreadyThere)
  // Hostname, status, and the older CA's id (none for the new CA).
  const rows: [string, string, string | undefined][] = (attachment?.after ?? []).map((hostname) => [
    hostname,
    attached.has(hostname)
      ? attachment?.applied
        ? 'attached'
        : 'would attach'
      : given.has(hostname)
        ? 'already there'
        : 'already there (not given to this step)',
    undefined,
  ])
  for (const r of replacements) {
    const detached = r.hostnames?.applied ? 'detached from the older CA' : 'would detach from the older CA'
    for (const hostname of r.hostnames?.detach ?? []) rows.push([hostname, detached, r.id])
    for (const hostname of r.hostnames?.keep ?? [])
      rows.push([hostname, 'kept on the older CA: not given to this step', r.id])
  }
  const body = rows
    .map(
      ([hostname, status, id]) =>
        `<tr><td><code>${escapeForSummary(hostname)}</code></td><td>${escapeForSummary(status)}</td><td>${id === undefined ? 'this CA' : `<code>${escapeForSummary(id)}</code>`}</td></tr>`,
    )
    .join('\n')
  return `<h3>API Shield hostnames in zone <code>${escapeForSummary(zoneId)}</code></h3>\n<table>\n<tr><th>Hostname</th><th>Status</th><th>CA</th></tr>\n${body}\n</table>`
}

const postHeading = (target: RotationTarget): string =>
  `<h3>Replace at the end of the job: certificates named ${escapeForSummary(target.name)} older than <code>${escapeForSummary(target.id ?? '')}</code></h3>`

/** The post step's section for a rotation that could not finish: why, and that the older ones are left. */
export const renderPostFailure = (target: RotationTarget, message: string): string =>
  `${postHeading(target)}\n<p>Could not finish: ${escapeForSummary(message)}. Older certificates with this name are left as they were.</p>\n`

/** The post step's own section: what replace did at the end of the job (with API Shield, to the hostnames). */
export function renderPostSummary(
  target: RotationTarget,
  replacements: readonly Replacement[],
  zoneId?: string,
): string {
  const heading = postHeading(target)
  const body =
    replacements.length === 0
      ? '<p>No older certificate with this name and CA flag was left.</p>'
      : replacementsTable(replacements)
  const hostnames = zoneId === undefined ? '' : `${hostnamesSection(zoneId, replacements)}\n`
  return `${heading}\n${body}\n${hostnames}`
}
