import { describe, expect, it, vi } from 'vitest'
import type { CloudflareApi } from '../../../src/cloudflare/mtls/client.ts'
import { OperationError } from '../../../src/core/errors.ts'
import { targetContext } from '../../../src/pipeline/context.ts'
import type { TargetContext } from '../../../src/plan/target.ts'
import { NO_OTHER_CONSUMERS } from '../../../src/consumers/scope.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'

const api = { zoneHostnames: (zoneId: string) => ({ zoneId }) } as unknown as CloudflareApi
const settings = {
  now: new Date(0),
  replaceWhen: 'end-of-job' as const,
  workspace: '/w',
  checkWorkers: false,
  forecast: false,
  consumers: NO_OTHER_CONSUMERS,
  workerCheck: vi.fn<TargetContext['workerCheck']>(() => () => Promise.reject(new Error('not read here'))),
}

describe('targetContext', () => {
  it('holds the settings and the api, and a listing only when there is one', () => {
    const context = targetContext(api, settings, undefined)
    expect(context).toMatchObject({ api, workspace: '/w', replaceWhen: 'end-of-job' })
    expect('listing' in context).toBe(false)
    expect(targetContext(api, settings, [{ id: 'c' }]).listing).toEqual([{ id: 'c' }])
  })

  it("gathers a retire's reads from the guards' targets", () => {
    const context = targetContext(api, settings, undefined)
    expect(context.retireReads([], 'new')).toEqual({ api })
    const reads = context.retireReads(
      [
        { target: 'workers', saved: { scope: ['payments'], consumers: NO_OTHER_CONSUMERS } },
        { target: 'api-shield', saved: { zoneId: ZONE_ID, hostnames: ['a.example.com'] } },
      ],
      'new',
    )
    expect(Object.keys(reads).sort()).toEqual(['api', 'workers', 'zone'])
    expect(settings.workerCheck).toHaveBeenCalledWith(['payments'], NO_OTHER_CONSUMERS)
  })

  it('refuses a guard whose saved state does not read as saved: nothing is deleted for it', () => {
    const context = targetContext(api, settings, undefined)
    const read = () => context.retireReads([{ target: 'workers', saved: { scope: 'some' } }], 'new')
    expect(read).toThrow(OperationError)
    expect(read).toThrow('its Workers are not a list of Worker names')
    expect(() => context.retireReads([{ target: 'nobody', saved: {} }], 'new')).toThrow('no target named nobody')
  })
})
