/**
 * The audit action's step (audit/action.yml): inputs → settings → one listing of the account's own
 * certificates → the expiry report → what uses the certificates that expire → outputs, summary,
 * annotations → the tracking issue. It only reads from Cloudflare.
 */
import { auditAnnotations, auditOutputs } from './report.ts'
import { getAuditSettings, type AuditSettings } from './settings.ts'
import { renderAuditSummary } from './summary.ts'
import { CloudflareApi } from '../cloudflare/mtls/client.ts'
import { settleConcurrently } from '../core/concurrency.ts'
import { defaultDependencies, type Dependencies } from '../cloudflare/dependencies.ts'
import { errorMessage, OperationError } from '../core/errors.ts'
import { syncExpiryIssue } from './issue.ts'
import { auditUnreadWarning, readAuditConsumers, withConsumers } from './consumers.ts'
import { GitHubError } from '../action/github-api.ts'
import { buildExpiryReport, flagged, type AuditedCertificate, type ExpiryReport } from './expiry-report.ts'
import { actionInputs } from '../action/input-source.ts'
import { failStep, log } from '../action/log.ts'
import { setOutputs } from '../action/outputs.ts'
import { githubRunContext, runUrl } from '../action/run-context.ts'
import { writeSummary } from '../action/job-summary.ts'
import { plural } from '../core/text.ts'
import { readStores, withStoreUsage } from './stores.ts'

/** Association reads in flight at once: enough to finish hundreds quickly, few enough not to be rate-limited. */
const USAGE_CONCURRENCY = 8

/** The audit's entry, named `run` as `npm run local-action:audit` (GitHub's local-action) expects. */
export async function run(dependencies: Dependencies = defaultDependencies()): Promise<void> {
  try {
    const settings = getAuditSettings(actionInputs())
    const api = new CloudflareApi(settings, dependencies.http.send, dependencies.clock, log)
    log.info(`Auditing the mTLS certificates of Cloudflare account ${settings.accountId}; nothing is changed there.`)
    const { certificates: listing, partial } = await api.listing()
    // Certificates it did not see may expire too: all clear would be a claim it cannot make.
    if (partial) {
      throw new OperationError(
        `${partial}. The audit cannot vouch for certificates it did not see, so it fails rather than report on part of the account; nothing was changed. Delete the certificates the account no longer uses, or audit again later`,
      )
    }
    const now = new Date(dependencies.clock.now())
    // Access CAs, and the origin pull certificates of zone-ids: by the same thresholds, their hostnames as their use.
    const stores = await readStores(api, settings.zoneIds)
    for (const warning of stores.warnings) log.warning(warning)
    const both = buildExpiryReport([...listing, ...stores.certificates], settings, now)
    const audited = { ...both, certificates: withStoreUsage(both.certificates, stores.usage) }
    const { report, usageComplete } = settings.checkUsage
      ? await withUsage(api, audited, stores.usage)
      : { report: audited, usageComplete: true }
    logTotals(report)
    setOutputs(auditOutputs(report))
    await writeSummary(renderAuditSummary(report, settings, settings.accountId))
    const { errors, warnings } = auditAnnotations(report, settings)
    for (const warning of warnings) log.warning(warning)
    // Each failing certificate is an error annotation of its own, and fails the step.
    for (const error of errors) log.fail(error)
    if (settings.issue) await trackIssue(report, settings, settings.issue.token, usageComplete)
  } catch (error) {
    failStep(error)
  } finally {
    await dependencies.http.close()
  }
}

/** The report with what uses each certificate that expires or has expired, read a few at a time. */
async function withUsage(
  api: CloudflareApi,
  report: ExpiryReport,
  known: ReadonlyMap<string, string[]>,
): Promise<{ report: ExpiryReport; usageComplete: boolean }> {
  const wanted = flagged(report).filter((c) => !known.has(c.id))
  if (wanted.length > 0) log.info(`Reading what uses the expiring and expired certificates (${wanted.length}).`)
  const results = await settleConcurrently(wanted, USAGE_CONCURRENCY, (c) => api.associationListing(c.id))
  const usage = new Map<string, Pick<AuditedCertificate, 'inUse' | 'inUsePartial'>>()
  const failures: string[] = []
  results.forEach((result, index) => {
    const { id } = wanted[index] as AuditedCertificate
    if (result.status === 'rejected') failures.push(`${id}: ${errorMessage(result.reason)}`)
    // Sorted: an order Cloudflare changes is no change to report (nor to edit the issue for).
    else {
      const { associations, partial } = result.value
      const inUse = [...new Set(associations.flatMap((a) => (typeof a.service === 'string' ? [a.service] : [])))]
      usage.set(id, { inUse: inUse.sort(), ...(partial ? { inUsePartial: partial } : {}) })
    }
  })
  if (failures.length > 0) {
    log.warning(
      `Could not read what uses ${plural(failures.length, 'certificate')} (${failures.slice(0, 3).join('; ')}${failures.length > 3 ? '; …' : ''}): the report shows them as not checked.`,
    )
  }
  const certificates = report.certificates.map((c) => {
    const inUse = usage.get(c.id)
    return inUse ? { ...c, ...inUse } : c
  })
  // The consumers (Workers, dispatch namespaces, Pages, Hyperdrive) are read once for all of them, after.
  const inventory = await readAuditConsumers(api)
  const unread = auditUnreadWarning(inventory)
  if (unread) log.warning(unread)
  return { report: withConsumers({ ...report, certificates }, inventory), usageComplete: failures.length === 0 }
}

function logTotals(report: ExpiryReport): void {
  const list = flagged(report)
  const expired = list.filter((c) => c.status === 'expired').length
  const { managed, unmatched } = report.leftOut
  log.info(
    `Audited ${plural(report.certificates.length, 'certificate')}: ${list.length - expired} expiring, ${expired} expired${managed + unmatched > 0 ? ` (left out: ${managed} managed by Cloudflare, ${unmatched} matching no name pattern)` : ''}.`,
  )
}

/**
 * The tracking issue, once the audit has answered: a failure here is only a warning. With the usage of
 * some certificate unread, the issue is left as it is, rather than edited twice for a passing error.
 */
async function trackIssue(
  report: ExpiryReport,
  settings: AuditSettings,
  token: string,
  usageComplete: boolean,
): Promise<void> {
  if (!usageComplete) {
    log.info('The tracking issue is left as it is: what uses some certificates could not be read.')
    return
  }
  try {
    const url = runUrl(await githubRunContext())
    const outcome = await syncExpiryIssue(
      flagged(report),
      { accountId: settings.accountId, policy: settings },
      {
        token,
        signal: AbortSignal.timeout(settings.timeoutSeconds * 1000),
        ...(url ? { runUrl: url } : {}),
      },
    )
    log.info(
      outcome.action === 'none'
        ? 'Tracking issue: none open, none needed.'
        : `Tracking issue #${outcome.number}: ${outcome.action}.`,
    )
  } catch (error) {
    log.warning(
      `The tracking issue could not be kept up to date: ${errorMessage(error)}. The audit's result above stands; ${error instanceof GitHubError ? error.hint : 'check that the job has permissions: issues: write.'}`,
    )
  }
}
