import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { ACCOUNT_ID, API_TOKEN } from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../test-kit/pki.ts'
import { MAX_ENV_STRING_BYTES, leakedSecrets, runAction, savedState } from '../../test-kit/run-action.ts'
import { SAVED_STEPS, retireSteps } from '../support/saved-steps.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'

/**
 * A manifest's worth of rotations, more than Linux lets the runner hand a process in one environment
 * variable, finished by one post step through dist/. The post step lists the account once per
 * rotation, so this costs about 20 s of CPU: it runs in CI (`.ci/run` sets MTLS_LARGE_TESTS=1) and on
 * demand, not in every `npm test`, whose budget is 45 s. The same saving and loading is in every post
 * step of the suite, and `__tests__/unit/action/state-helper.test.ts` saves a value over 128 KiB.
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

const COUNT = 1000
const LAST_YEAR = '2025-11-01T00:00:00Z'

describe.runIf(process.env.MTLS_LARGE_TESTS === '1')('1,000 rotations in one post step', () => {
  it('finishes every one, retiring the older CA of each that has one, with no warning (dist/)', async () => {
    const key = generateKey('ec')
    const rotations = []
    const retired: string[] = []
    for (let i = 0; i < COUNT; i++) {
      const name = `api-clients-ca-${String(i).padStart(4, '0')}-for-the-partner-gateway`
      const certificate = issueCertificate({ commonName: name, key, ca: true })
      const uploaded = fake.seed(certificate.pem, { name, ca: true })
      const issuedAt = certificate.x509.validFromDate.getTime()
      rotations.push({ id: uploaded.id, name, ca: true, issuedAt, uploadedOn: uploaded.uploaded_on })
      // Every tenth has an older CA of its name, uploaded last year, for the post step to retire.
      if (i % 10 === 0) {
        const notBefore = new Date(Date.now() - 2 * 86_400_000)
        const older = issueCertificate({ commonName: name, key, ca: true, notBefore })
        retired.push(fake.seed(older.pem, { name, ca: true, uploadedOn: LAST_YEAR }).id)
      }
    }
    const saved = retireSteps(rotations)
    // Inline in the state, this is what Linux refused: the post step never started.
    expect(Buffer.byteLength(saved)).toBeGreaterThan(MAX_ENV_STRING_BYTES)

    const inputs = { 'account-id': ACCOUNT_ID, 'api-token': API_TOKEN, 'api-base-url': fake.url }
    const post = await runAction(inputs, { ...savedState({ [SAVED_STEPS]: saved }), killAfterMs: 170_000 })
    expect(post.annotations.filter((a) => a.level !== 'notice')).toEqual([])
    expect(post.exitCode).toBe(0)
    expect(leakedSecrets(post, [API_TOKEN])).toEqual([])
    expect(fake.requestsTo('DELETE').map((r) => r.path.split('/').pop())).toEqual(retired)
    expect(fake.certificates.size).toBe(COUNT)
    expect(post.summary.match(/<h3>Replace at the end of the job/g)).toHaveLength(COUNT)
  }, 180_000)
})
