import { setSecret } from '@actions/core'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { getAuditSettings } from '../../../src/audit/settings.ts'
import { InputError } from '../../../src/core/errors.ts'
import type { InputSource } from '../../../src/action/input-source.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../../test-kit/fixtures.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

const GITHUB_TOKEN = 'ghs_unitTestToken0123456789abcdefghij'

function source(inputs: Record<string, string> = {}, env: Record<string, string> = {}): InputSource {
  const map: Record<string, string> = { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, ...inputs }
  return { input: (name) => map[name] ?? '', env: { GITHUB_REPOSITORY: 'acme/certificates', ...env } }
}

function inputError(inputs: Record<string, string>, env: Record<string, string> = {}): string {
  try {
    getAuditSettings(source(inputs, env))
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('getAuditSettings accepted the inputs')
}

beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

describe('getAuditSettings', () => {
  it('takes the defaults, and the upload action API inputs with their environment fallbacks', () => {
    const settings = getAuditSettings({
      input: () => '',
      env: { CLOUDFLARE_ACCOUNT_ID: ACCOUNT_ID, CLOUDFLARE_API_TOKEN: API_TOKEN },
    })
    expect(settings).toMatchObject({
      accountId: ACCOUNT_ID,
      credentials: { kind: 'token', token: API_TOKEN },
      warnDays: 30,
      failDays: 7,
      names: [],
      checkUsage: true,
      maxRetries: 3,
      timeoutSeconds: 60,
    })
    expect(settings.issue).toBeUndefined()
  })

  it('reads one name pattern a line, blank lines and surrounding spaces left out', () => {
    const settings = getAuditSettings(source({ names: '  payments-*\r\n\n edge-?? \n' }))
    expect(settings.names.map((p) => p.source)).toEqual(['payments-*', 'edge-??'])
  })

  it('registers the GitHub token as a secret, from the input or GITHUB_TOKEN', () => {
    expect(getAuditSettings(source({ issue: 'true', 'github-token': GITHUB_TOKEN })).issue).toEqual({
      token: GITHUB_TOKEN,
    })
    expect(vi.mocked(setSecret)).toHaveBeenCalledWith(GITHUB_TOKEN)
    expect(getAuditSettings(source({ issue: 'true' }, { GITHUB_TOKEN })).issue).toEqual({ token: GITHUB_TOKEN })
  })

  it.each([
    [{ 'warn-days': '-1' }, /^Input 'warn-days' must be a whole number from 0/],
    [{ 'fail-days': '7.5' }, /^Input 'fail-days' must be a whole number from 0/],
    [{ 'check-usage': 'yes' }, /^Input 'check-usage' must be true or false/],
    [{ issue: 'on' }, /^Input 'issue' must be true or false/],
    [{ names: 'x'.repeat(201) }, /^Input 'names' takes at most 100 glob patterns/],
    [{ issue: 'true' }, /^Input 'issue' is true but there is no GitHub token/],
    [{ 'account-id': 'nope' }, /^Input 'account-id' must be 32 hexadecimal characters/],
  ])('rejects %o', (inputs, message) => {
    expect(inputError(inputs)).toMatch(message)
  })

  it('needs the repository for the issue', () => {
    expect(inputError({ issue: 'true', 'github-token': GITHUB_TOKEN }, { GITHUB_REPOSITORY: '' })).toMatch(
      /GITHUB_REPOSITORY \(owner\/name\) is not set/,
    )
  })
})
