import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import { NEW_CERTIFICATE, type EntryPlan, type Step } from '../../../../src/plan/step.ts'
import type { TargetContext } from '../../../../src/plan/target.ts'
import { mtlsStore } from '../../../../src/targets/store/index.ts'
import type { Placement } from '../../../../src/targets/store/placement.ts'
import type { RetireData } from '../../../../src/targets/store/retire.ts'
import { makeClient } from '../../../../test-kit/fixtures.ts'
import { FakeAccount, NOW, fakeApi } from '../../fakes.ts'

const fixture = makeClient('ec')
const leaf = new X509Certificate(fixture.client.pem)
const checked = {
  leaf,
  chain: [leaf],
  certificatesPem: fixture.client.pem,
  facts: { fingerprintSha256: leaf.fingerprint256, expiresOn: 'x', issuer: 'i', serialNumber: 's', signature: 'g' },
} as unknown as CheckedCertificate
const entry = (spec: Partial<CertificateSpec> = {}): EntryPlan => ({
  name: 'e',
  spec: { ca: false, replace: true, name: 'payments', ...spec } as CertificateSpec,
  checked,
  steps: [],
})
const upload: Step<Placement> = {
  target: 'store',
  action: 'place',
  when: 'now',
  data: { kind: 'upload', body: { ca: false, certificates: '' } },
}
const reuse = (mayReplace: boolean): Step<Placement> => ({
  ...upload,
  data: { kind: 'reuse', certificate: { id: 'c-1' }, mayReplace, ...(mayReplace ? {} : { warning: 'w' }) },
})

function setup() {
  const account = new FakeAccount()
  const { api } = fakeApi(account.send, { maxRetries: 0 })
  return { account, context: { api, now: new Date(NOW), replaceWhen: 'end-of-job' } as TargetContext }
}

describe('the account store', () => {
  it('plans later steps with the placeholder for an upload, and the id for a reuse', () => {
    expect(mtlsStore.certificateOf(upload)).toBe(NEW_CERTIFICATE)
    expect(mtlsStore.certificateOf(reuse(true))).toBe('c-1')
  })

  it('retires only when the spec asks, and not for a copy reused under another name', () => {
    expect(mtlsStore.retires(entry(), upload)).toBe(true)
    expect(mtlsStore.retires(entry(), reuse(true))).toBe(true)
    expect(mtlsStore.retires(entry(), reuse(false))).toBe(false)
    expect(mtlsStore.retires(entry({ replace: false }), upload)).toBe(false)
  })

  it('places, then retires with what placing returned; a retire before any placement is refused', async () => {
    const { account, context } = setup()
    const e = entry()
    const outcomes: unknown[] = []
    const state = { outcomes }
    const place = mtlsStore.place(e, context, undefined)
    outcomes.push(await mtlsStore.apply(place, e, state, context))
    expect(account.calls()).toEqual(['POST'])
    const retire = mtlsStore.retire(e, place, [], context)
    const retired = await mtlsStore.apply(retire, e, state, context)
    const tail = mtlsStore.tailOf(retired) as Step<RetireData>
    expect(tail.data.rotation).toMatchObject({
      id: account.stored[0]?.id,
      uploadedOn: account.stored[0]?.uploaded_on,
      name: 'payments',
    })
    expect(() => mtlsStore.apply(retire, e, { outcomes: [] }, context)).toThrow(
      'retire ran before the certificate was placed',
    )
  })

  it('refuses to place an entry without its spec (a saved tail holds none)', () => {
    const { context } = setup()
    expect(() => mtlsStore.apply(upload, { name: 'e', steps: [] }, { outcomes: [] }, context)).toThrow(
      'a placement step without its spec',
    )
  })

  it('has no tail for an outcome without one', () => {
    expect(mtlsStore.tailOf(undefined)).toBeUndefined()
    expect(mtlsStore.tailOf({ replace: false, outcome: { replacements: [], candidates: [] } })).toBeUndefined()
  })

  it("finishes a saved retire only with its certificate's id and upload time", async () => {
    const { account, context } = setup()
    const step = mtlsStore.retire(entry(), upload, [], context)
    await expect(mtlsStore.finish(step, context)).rejects.toThrow('a saved retire step lacks its certificate')
    expect(account.calls()).toEqual([])
  })

  it('reports a placement and a retire each by its own report', () => {
    const e = entry()
    expect(mtlsStore.report(upload, undefined, e, 'main').rows).toEqual([{ name: '', action: 'upload' }])
    const { context } = setup()
    const retire = mtlsStore.retire(e, upload, [], context)
    expect(mtlsStore.report(retire, undefined, { name: 'e', steps: [] }, 'post').outputs).toEqual({
      'replaced-ids': [],
      'replace-candidates': [],
    })
  })
})
