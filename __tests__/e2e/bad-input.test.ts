import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { startFake } from '../../test-kit/fixtures.ts'
import { runAction } from '../../test-kit/run-action.ts'
import { badCases, expectRefused } from '../support/bad-inputs.ts'

/**
 * Bad input through dist/, as the runner runs it: exit code 1, one error annotation naming the input,
 * no request, no stack trace, no secret. Every case of the table runs in-process in
 * __tests__/inprocess/bad-input.test.ts; these are one of each kind: a required input, a file read from the
 * workspace, a secret that must stay masked when it is the cause, and a certificate check.
 */

const THROUGH_DIST = [
  'a missing account id',
  'megabytes of noise',
  'an encrypted key with the wrong passphrase',
  'a key that does not match the leaf',
  'a global key without an email',
  'an expired leaf',
  'a Wrangler file without the binding',
  'an unparsable Wrangler file',
]

let fake: FakeCloudflare
beforeAll(async () => {
  fake = await startFake()
})
afterAll(() => fake.stop())

describe('bad input fails before any request, through dist/', () => {
  it.each(badCases.filter((badCase) => THROUGH_DIST.includes(badCase.name)))('$name', (badCase) =>
    expectRefused(fake, badCase, runAction),
  )

  it('runs every case named above', () => {
    expect(badCases.filter((badCase) => THROUGH_DIST.includes(badCase.name))).toHaveLength(THROUGH_DIST.length)
  })
})
