import { describe, expect, it } from 'vitest'
import type { ApiSettings, Credentials } from '../../../src/cloudflare/settings.ts'
import { getApiSettings } from '../../../src/spec/api-settings.ts'
import { ACCOUNT_ID, API_EMAIL, API_KEY, API_TOKEN } from '../../../test-kit/fixtures.ts'
import { inputSource } from '../fakes.ts'

/** The types only: what spec/api-settings.ts reads from the inputs is a value of them, field for field. */

describe('ApiSettings', () => {
  it('holds what getApiSettings reads for a token', () => {
    const expected: ApiSettings = {
      accountId: ACCOUNT_ID,
      credentials: { kind: 'token', token: API_TOKEN },
      apiBaseUrl: 'https://api.cloudflare.com/client/v4',
      maxRetries: 3,
      timeoutSeconds: 60,
    }
    expect(getApiSettings(inputSource({ 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN }))).toStrictEqual(expected)
  })

  it('holds a global key with its email as the other kind of credentials', () => {
    const credentials: Credentials = { kind: 'global-key', email: API_EMAIL, key: API_KEY }
    const settings = getApiSettings(
      inputSource({
        'account-id': ACCOUNT_ID,
        'api-email': API_EMAIL,
        'api-key': API_KEY,
        'max-retries': '0',
        'timeout-seconds': '5',
      }),
    )
    expect(settings).toStrictEqual({
      accountId: ACCOUNT_ID,
      credentials,
      apiBaseUrl: 'https://api.cloudflare.com/client/v4',
      maxRetries: 0,
      timeoutSeconds: 5,
    } satisfies ApiSettings)
  })
})
