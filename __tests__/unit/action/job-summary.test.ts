import * as core from '@actions/core'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { writeSummary } from '../../../src/action/job-summary.ts'
import { log } from '../../../src/action/log.ts'
import { registerSecret } from '../../../src/action/secrets.ts'

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

const summaryFile = (): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.md')
  writeFileSync(file, '')
  vi.stubEnv('GITHUB_STEP_SUMMARY', file)
  return file
}

it('appends the HTML to the summary file, with every registered secret blanked, as given and as escaped', async () => {
  const file = summaryFile()
  registerSecret('s3cret<&>value')
  await writeSummary('<p>token s3cret<&>value and s3cret&lt;&amp;&gt;value</p>')
  expect(readFileSync(file, 'utf8')).toBe('<p>token *** and ***</p>')
})

it('warns, and does not throw, when the runner has no summary file', async () => {
  // The summary keeps the path it first found: a runner without the file is a write that fails.
  vi.spyOn(core.summary, 'write').mockRejectedValue(
    new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY'),
  )
  const warning = vi.spyOn(log, 'warning').mockImplementation(() => undefined)
  await expect(writeSummary('<p>done</p>')).resolves.toBeUndefined()
  expect(warning).toHaveBeenCalledTimes(1)
  expect(warning.mock.calls[0]?.[0]).toBe(
    'The job summary could not be written (Unable to find environment variable for $GITHUB_STEP_SUMMARY); what the step did stands, as logged above.',
  )
})
