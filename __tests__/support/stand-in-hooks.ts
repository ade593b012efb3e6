import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { startFake } from '../../test-kit/fixtures.ts'
import { FakeGitHub } from './fake-github.ts'

/**
 * One stand-in for a test file: started before its tests, stopped after them, and after each test
 * checked for requests against the OpenAPI and reset. `onStart` receives it, for the file's tests.
 */
export function useStandIn(onStart: (fake: FakeCloudflare) => void): void {
  let fake: FakeCloudflare | undefined
  beforeAll(async () => {
    fake = await startFake()
    onStart(fake)
  })
  afterAll(() => fake?.stop())
  afterEach(() => {
    const violations = [...(fake?.specViolations ?? [])]
    // Reset first: one test's violations must not fail the tests after it.
    fake?.reset()
    expect(violations).toEqual([])
  })
}

/** One GitHub stand-in for a test file, accepting `token`: started before its tests, stopped after, reset after each. */
export function useGitHubStandIn(token: string, onStart: (gitHub: FakeGitHub) => void): void {
  let gitHub: FakeGitHub | undefined
  beforeAll(async () => {
    gitHub = await new FakeGitHub(token).start()
    onStart(gitHub)
  })
  afterAll(() => gitHub?.stop())
  afterEach(() => {
    gitHub?.reset()
  })
}
