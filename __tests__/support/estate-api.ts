import { vi } from 'vitest'
import { log } from '../../src/action/log.ts'
import { CloudflareApi } from '../../src/cloudflare/mtls/client.ts'
import { createHttpClient } from '../../src/cloudflare/http.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../test-kit/fixtures.ts'
import { FakeClock } from '../unit/fakes.ts'

/**
 * The real client over real HTTP to the stand-in, with a clock that records its waits instead of
 * sleeping them: for the Access and origin pull planners and executors, in this process.
 */
export function estateApi(
  fake: FakeCloudflare,
  timeoutSeconds = 120,
): { api: CloudflareApi; clock: FakeClock; lines: string[]; close: () => Promise<void> } {
  const lines: string[] = []
  for (const level of ['debug', 'info', 'warning', 'notice'] as const)
    vi.spyOn(log, level).mockImplementation((message: string) => {
      lines.push(message)
    })
  const clock = new FakeClock(Date.now(), 0.5)
  const http = createHttpClient()
  const api = new CloudflareApi(
    {
      apiBaseUrl: fake.url,
      accountId: ACCOUNT_ID,
      credentials: { kind: 'token', token: API_TOKEN },
      maxRetries: 2,
      timeoutSeconds,
    },
    http.send,
    clock,
  )
  return { api, clock, lines, close: () => http.close() }
}
