import { X509Certificate } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../../../src/wrangler/parsers.ts'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import { InputError } from '../../../../src/core/errors.ts'
import { judgeExisting, planPlacement } from '../../../../src/targets/store/placement.ts'
import { makeClient } from '../../../../test-kit/fixtures.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

/** The upload's pure planners: where the certificate goes, and whether a copy already held may be replaced. */

const fixture = makeClient('ec')
const other = makeClient('ec')
const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6'

const spec = (overrides: Partial<CertificateSpec> = {}): CertificateSpec =>
  ({
    certificate: { pem: fixture.client.pem },
    ca: false,
    allowMissingKey: false,
    replace: false,
    ...overrides,
  }) as CertificateSpec

function checked(pem = fixture.client.pem, privateKeyPem: string | null = fixture.keyPem): CheckedCertificate {
  const leaf = new X509Certificate(pem)
  return {
    leaf,
    chain: [leaf],
    certificatesPem: pem,
    ...(privateKeyPem ? { privateKeyPem } : {}),
    facts: { fingerprintSha256: leaf.fingerprint256 },
    notices: [],
    warnings: [],
  } as unknown as CheckedCertificate
}

describe('planPlacement', () => {
  it('uploads without a listing: the body holds the chain, the name and the key, as given', () => {
    expect(planPlacement(spec({ name: 'payments-client' }), checked(), undefined)).toEqual({
      kind: 'upload',
      body: { ca: false, certificates: fixture.client.pem, name: 'payments-client', private_key: fixture.keyPem },
    })
  })

  it('leaves out a name and a key that are not there (a CA)', () => {
    expect(planPlacement(spec({ ca: true }), checked(fixture.ca.pem, null), undefined)).toEqual({
      kind: 'upload',
      body: { ca: true, certificates: fixture.ca.pem },
    })
  })

  it('reuses the certificate of the listing whose leaf is ours, and uploads when none is', () => {
    const ours = { id: ID, certificates: fixture.client.pem }
    const listing = [{ id: 'other', certificates: other.client.pem }, { id: 'no-text' }, ours]
    expect(planPlacement(spec(), checked(), listing)).toEqual({ kind: 'reuse', certificate: ours, mayReplace: true })
    expect(planPlacement(spec(), checked(), listing.slice(0, 2)).kind).toBe('upload')
    expect(planPlacement(spec(), checked(), []).kind).toBe('upload')
  })

  it('folds the judgement of the copy it reuses into the placement: another name, or the other ca flag', () => {
    const ours = { id: ID, certificates: fixture.client.pem, name: 'old-name', ca: false }
    const renamed = planPlacement(spec({ name: 'new-name', replace: true }), checked(), [ours])
    expect(renamed).toMatchObject({ kind: 'reuse', certificate: ours, mayReplace: false })
    expect('warning' in renamed ? renamed.warning : '').toContain("named 'old-name', not 'new-name'")
    expect(() => planPlacement(spec({ ca: true }), checked(), [ours])).toThrow(InputError)
  })
})

describe('judgeExisting', () => {
  it('may replace a copy of the same name, or when the step gives no name', () => {
    expect(judgeExisting({ id: ID, name: 'a', ca: false }, spec({ name: 'a' }))).toEqual({ mayReplace: true })
    expect(judgeExisting({ id: ID, name: 'a' }, spec())).toEqual({ mayReplace: true })
  })

  it('refuses a copy uploaded with the other ca flag, naming both ways out', () => {
    expect(() => judgeExisting({ id: ID, ca: true }, spec())).toThrow(InputError)
    expect(() => judgeExisting({ id: ID, ca: true }, spec())).toThrow(
      `The account already holds this certificate as ${ID}, uploaded with ca: true`,
    )
    // A listing that does not say is no reason to refuse.
    expect(judgeExisting({ id: ID }, spec())).toEqual({ mayReplace: true })
  })

  it('reuses a copy under another name with a warning, saying replace is skipped only when it was asked for', () => {
    const asked = judgeExisting({ id: ID, name: 'old-name' }, spec({ name: 'new-name', replace: true }))
    expect(asked).toMatchObject({ mayReplace: false })
    const warning = 'warning' in asked ? asked.warning : ''
    expect(warning).toContain(`as ${ID} named 'old-name', not 'new-name'`)
    expect(warning).toContain('replace is skipped')
    const notAsked = judgeExisting({ id: ID }, spec({ name: 'new-name' }))
    expect('warning' in notAsked ? notAsked.warning : '').not.toContain('replace')
    expect('warning' in notAsked ? notAsked.warning : '').toContain("named '', not 'new-name'")
  })
})
