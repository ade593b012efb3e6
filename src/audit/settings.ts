import { getApiSettings, type ApiSettings } from '../spec/api-settings.ts'
import { InputError } from '../core/errors.ts'
import type { ExpiryPolicy } from './expiry-report.ts'
import { parseBoolean, parseInteger } from '../action/input-parsers.ts'
import { trimmedInputs, type InputSource } from '../action/input-source.ts'
import { parseNamePattern } from './name-pattern.ts'
import { registerSecretInputs } from '../action/secrets.ts'
import { parseZoneIds } from './stores.ts'

/** The audit's inputs, validated: the upload action's API inputs and the audit's own. */
export interface AuditSettings extends ApiSettings, ExpiryPolicy {
  checkUsage: boolean
  /** The zones whose Authenticated Origin Pulls certificates are audited too (zone-ids). */
  zoneIds: string[]
  /** With `issue: true`: the token that keeps the tracking issue. */
  issue?: { token: string }
}

/** At most this many name patterns, each at most this long: a name is a label of at most a few dozen characters. */
const MAX_PATTERNS = 100
const MAX_PATTERN_CHARS = 200
/** A hundred years: no certificate is audited further ahead. */
const MAX_DAYS = 36500

/** Reads and validates the audit's inputs, with every secret registered before anything can be logged. */
export function getAuditSettings(source: InputSource): AuditSettings {
  registerSecretInputs(source)
  const read = trimmedInputs(source)
  const token = read('github-token') || (source.env.GITHUB_TOKEN ?? '').trim()

  const settings: AuditSettings = {
    ...getApiSettings(source),
    warnDays: parseInteger('warn-days', read('warn-days'), { fallback: 30, min: 0, max: MAX_DAYS }),
    failDays: parseInteger('fail-days', read('fail-days'), { fallback: 7, min: 0, max: MAX_DAYS }),
    names: parseNames(source.input('names')).map(parseNamePattern),
    checkUsage: parseBoolean('check-usage', read('check-usage'), true),
    zoneIds: parseZoneIds(source.input('zone-ids')),
  }
  if (parseBoolean('issue', read('issue'), false)) settings.issue = { token: checkIssueToken(token, source) }
  return settings
}

function parseNames(text: string): string[] {
  const patterns = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  if (patterns.length > MAX_PATTERNS || patterns.some((p) => p.length > MAX_PATTERN_CHARS || /\p{Cc}/u.test(p))) {
    throw new InputError(
      `Input 'names' takes at most ${MAX_PATTERNS} glob patterns, one per line, each at most ${MAX_PATTERN_CHARS} characters (for example payments-*). Remove it to audit every certificate.`,
    )
  }
  return patterns
}

function checkIssueToken(token: string, source: InputSource): string {
  if (!token) {
    throw new InputError(
      "Input 'issue' is true but there is no GitHub token: leave github-token at its default, ${{ github.token }}, and give the job permissions: issues: write, or set the GITHUB_TOKEN environment variable.",
    )
  }
  if (!/^[^/\s]+\/[^/\s]+$/.test(source.env.GITHUB_REPOSITORY ?? '')) {
    throw new InputError(
      "Input 'issue' is true but GITHUB_REPOSITORY (owner/name) is not set: the issue is kept in the repository the workflow runs in, which the runner names there. Set it when running the audit outside GitHub Actions, or set issue: false.",
    )
  }
  return token
}
