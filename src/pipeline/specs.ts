import { subjectOf } from '../certificate/facts.ts'
import type { CheckedCertificate } from '../certificate/check.ts'
import type { Clock } from '../core/clock.ts'
import { escapeForSummary } from '../core/html.ts'
import { plural } from '../core/text.ts'
import type { InputSource } from '../action/input-source.ts'
import { log } from '../action/log.ts'
import { writeSummary } from '../action/job-summary.ts'
import { hasCredentials } from '../spec/api-settings.ts'
import { manifestInput } from '../manifest/inputs.ts'
import { forkWithoutSecrets, runEventOf, type RunEvent } from '../github/pull-request.ts'
import { loadWranglerParsers } from '../wrangler/parsers.ts'
import { checkAndMask } from '../spec/check.ts'
import { getCheckSettings, getSettings, getStepSettings, readReplace, type StepSettings } from '../spec/settings.ts'
import type { CheckedEntry } from './make-plan.ts'
import { TARGET_FIELDS } from '../targets/registry.ts'

/** What the step works on: its settings and its entries, from a manifest or from the inputs as one entry. */
export interface Specs {
  step: StepSettings
  entries: CheckedEntry[]
  /** The `manifest` input; empty for the single certificate of the inputs. */
  manifest: string
  event: RunEvent
}

/**
 * The step's specs, every local check made and logged before anything is sent; undefined when a
 * fork's pull request has no credentials to plan with (said plainly, and the step passes).
 */
export async function readSpecs(source: InputSource, clock: Clock): Promise<Specs | undefined> {
  const manifest = manifestInput(source)
  const event = runEventOf(source.env)
  const now = new Date(clock.now())
  if (!manifest) {
    // The Wrangler parsers are a chunk of dist/ of their own, loaded only for a step with Wrangler files.
    if (source.input('wrangler-config').trim()) await loadWranglerParsers()
    const settings = getSettings(source)
    const spec = settings.certificate
    const checked = checkAndMask(spec, { now, expiryWarningDays: settings.step.expiryWarningDays })
    logChecks(checked)
    return { step: settings.step, entries: [{ name: spec.name ?? '', spec, checked }], manifest, event }
  }
  const fork = forkWithoutSecrets(event, !hasCredentials(source))
  // The manifest's reading (with the YAML parser) is a chunk of dist/ of its own, as are the Wrangler
  // parsers, which its entries' files are checked with as it is read: loaded only for a manifest.
  const [{ readManifest }] = await Promise.all([import('../manifest/read.ts'), loadWranglerParsers()])
  // A fork's pull request gets no secrets: every check that needs none still runs (a broken manifest
  // fails the step), and only the account is not read.
  const step = fork ? undefined : getStepSettings(source)
  const checks = step ?? getCheckSettings(source)
  const entries = readManifest(manifest, {
    workspace: checks.workspace,
    env: source.env,
    replace: readReplace(source),
    now,
    expiryWarningDays: checks.expiryWarningDays,
    ...(step ? {} : { secretsUnavailable: true }),
    targetFields: TARGET_FIELDS,
  })
  for (const entry of entries) logChecks(entry.checked)
  if (!step) {
    const checked = `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} checked (files, certificates, Wrangler files), but the account is not read`
    log.notice(`The manifest's plan is not made: ${fork ?? ''}. ${checked}.`)
    await writeSummary(
      `<h2>mTLS certificates: ${escapeForSummary(manifest)}</h2>\n<p>No plan: ${escapeForSummary(fork ?? '')}. ${escapeForSummary(checked)}.</p>\n`,
    )
    return undefined
  }
  return { step, entries, manifest, event }
}

/** The local checks' findings, logged before anything is sent. */
function logChecks(checked: CheckedCertificate): void {
  const { facts, leaf } = checked
  log.info(
    `Certificate ${subjectOf(leaf)}: issued by ${facts.issuer || 'unknown'}, serial ${facts.serialNumber}, expires ${facts.expiresOn} (${facts.daysLeft} days), SHA-256 ${facts.fingerprintSha256}; ${plural(checked.chain.length, 'certificate')} in the chain${checked.privateKeyPem ? ', with its private key' : ''}.`,
  )
  for (const notice of checked.notices) log.notice(notice)
  for (const warning of checked.warnings) log.warning(warning)
}
