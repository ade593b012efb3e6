import { afterAll, beforeAll, describe, it } from 'vitest'
import { run } from '../../src/main.ts'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { startFake } from '../../test-kit/fixtures.ts'
import { badCases, expectRefused } from '../support/bad-inputs.ts'
import { runInProcess } from '../support/run-in-process.ts'

/**
 * Every bad input of the table, through the action's entry function in this process: the same inputs,
 * files and checks as through dist/ (__tests__/e2e/bad-input.test.ts), without a process start each.
 */

let fake: FakeCloudflare
beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())

describe('bad input fails before any request', () => {
  it.each(badCases)('$name', (badCase) =>
    expectRefused(fake, badCase, (inputs, options) => runInProcess(run, inputs, options)),
  )
})
