import { describe, expect, it } from 'vitest'
import { errorAnswer, type FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { API_TOKEN, PASSPHRASE, makeClient, makeWorkspace } from '../../test-kit/fixtures.ts'
import { keyPem } from '../../test-kit/pki.ts'
import { leakedSecrets, runAction } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'
import { MANIFEST_PATH, manifestInputs } from '../support/manifest-workspace.ts'

/**
 * The manifest step masks the key it makes (the decrypted PKCS#8 form) as the single step does: a
 * PKCS#1 key, or an encrypted key with its passphrase, is sent re-encoded, and an error that echoes
 * the request must not show it (through dist/, with debug logging on).
 */

let fake: FakeCloudflare
useStandIn((started) => (fake = started))

describe('a manifest whose keys Cloudflare echoes back in its error', () => {
  it('masks the PKCS#8 form of a PKCS#1 key and of an encrypted key (dist/)', async () => {
    const rsa = makeClient('rsa')
    const encrypted = makeClient('ec')
    const given = {
      RSA_KEY: keyPem(rsa.client.key, 'pkcs1'),
      SEALED_KEY: keyPem(encrypted.client.key, 'pkcs8', { passphrase: PASSPHRASE }),
      SEALED_PASSPHRASE: PASSPHRASE,
    }
    const sent = [rsa.keyPem, encrypted.keyPem]
    const workspace = makeWorkspace({
      [MANIFEST_PATH]: `version: 1
certificates:
  - name: rsa-client
    certificate: certs/rsa.pem
    ca: false
    private-key-env: RSA_KEY
  - name: sealed-client
    certificate: certs/sealed.pem
    ca: false
    private-key-env: SEALED_KEY
    private-key-passphrase-env: SEALED_PASSPHRASE
`,
      'deploy/certs/rsa.pem': rsa.client.pem,
      'deploy/certs/sealed.pem': encrypted.client.pem,
    })
    // Each upload's error quotes both keys as sent, as a request echoed back would.
    const echo = errorAnswer(400, [
      { code: 1400, message: `Invalid request: ${JSON.stringify({ private_key: sent.join('') })}` },
      { code: 1401, message: `key: ${sent.join('\n')}` },
    ])
    fake.inject({ method: 'POST', fault: echo, times: 2 })
    const run = await runAction(manifestInputs(fake, { 'max-retries': '0' }), {
      workspace,
      env: { ...given, RUNNER_DEBUG: '1' },
    })
    expect(run.exitCode).toBe(1)
    expect(fake.requestsTo('POST')).toHaveLength(2)
    expect(run.log).toContain('[1400] Invalid request')
    expect(leakedSecrets(run, [...Object.values(given), ...sent, API_TOKEN])).toEqual([])
  })
})
