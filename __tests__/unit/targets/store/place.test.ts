import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import { InputError } from '../../../../src/core/errors.ts'
import type { EntryPlan } from '../../../../src/plan/step.ts'
import type { ApplyState, TargetContext } from '../../../../src/plan/target.ts'
import { STORE, applyPlace, placeStep } from '../../../../src/targets/store/place.ts'
import { makeClient } from '../../../../test-kit/fixtures.ts'
import { FakeAccount, NOW, fakeApi } from '../../fakes.ts'

const fixture = makeClient('ec')

function entry(spec: Partial<CertificateSpec> = {}): EntryPlan {
  const leaf = new X509Certificate(fixture.client.pem)
  const checked = {
    leaf,
    chain: [leaf],
    certificatesPem: fixture.client.pem,
    privateKeyPem: fixture.keyPem,
    facts: { fingerprintSha256: leaf.fingerprint256 },
  } as unknown as CheckedCertificate
  return {
    name: 'e',
    spec: { ca: false, replace: true, name: 'payments', ...spec } as CertificateSpec,
    checked,
    steps: [],
  }
}

function setup(listing?: FakeAccount['stored']) {
  const account = new FakeAccount()
  const { api } = fakeApi(account.send, { maxRetries: 0 })
  const context = { api, now: new Date(NOW), ...(listing ? { listing } : {}) } as unknown as TargetContext
  return { account, context }
}

describe('placeStep', () => {
  it("is the store's first step, now, planned from the step's listing", () => {
    const { context } = setup()
    expect(placeStep(entry(), context)).toMatchObject({
      target: STORE,
      action: 'place',
      when: 'now',
      data: { kind: 'upload' },
    })
    const held = { id: 'c-1', name: 'payments', certificates: fixture.client.pem }
    expect(placeStep(entry(), setup([held]).context).data).toEqual({
      kind: 'reuse',
      certificate: held,
      mayReplace: true,
    })
  })
})

describe('applyPlace', () => {
  it('uploads, records the placement in the state, and may replace', async () => {
    const { account, context } = setup()
    const e = entry()
    const state: ApplyState = {}
    const placed = await applyPlace(placeStep(e, context), e, state, context)
    expect(account.calls()).toEqual(['POST'])
    expect(placed).toEqual({ certificate: account.stored[0], created: true, mayReplace: true })
    expect(state.placed).toEqual({ certificate: account.stored[0], created: true })
  })

  it('reuses what the plan found with no request, carrying its warning', async () => {
    const held = { id: 'c-1', name: 'old-name', ca: false, certificates: fixture.client.pem }
    const { account, context } = setup([held])
    const e = entry()
    const state: ApplyState = {}
    const placed = await applyPlace(placeStep(e, context), e, state, context)
    expect(account.calls()).toEqual([])
    expect(placed).toMatchObject({ certificate: held, created: false, mayReplace: false })
    expect(placed.warning).toContain("named 'old-name', not 'payments'")
    expect(state.placed).toEqual({ certificate: held, created: false })
  })

  it('judges a certificate adopted on upload: under another name it may not replace', async () => {
    const { account, context } = setup()
    account.store(fixture.client.pem, { name: 'old-name' })
    const e = entry()
    const state: ApplyState = {}
    const placed = await applyPlace(placeStep(e, context), e, state, context)
    expect(placed).toMatchObject({ created: false, mayReplace: false })
    expect(state.placed?.certificate.id).toBe(account.stored[0]?.id)
  })

  it('refuses a copy adopted with the other ca flag, the placement recorded for the outputs', async () => {
    const { account, context } = setup()
    account.store(fixture.client.pem, { ca: true })
    const e = entry()
    const state: ApplyState = {}
    await expect(applyPlace(placeStep(e, context), e, state, context)).rejects.toBeInstanceOf(InputError)
    expect(state.placed?.created).toBe(false)
  })
})
