import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import type { OriginPullStep } from '../../../../src/origin-pull/plan.ts'
import type { EntryPlan } from '../../../../src/plan/step.ts'
import { originPullSpecOf, storeText, zoneOf } from '../../../../src/targets/origin-pull/data.ts'
import { partsOf } from '../../../../src/plan/store-steps.ts'
import { ZONE_ID, makeClient } from '../../../../test-kit/fixtures.ts'

const fixture = makeClient()
const leaf = new X509Certificate(fixture.client.pem)
const entry = (spec: Partial<CertificateSpec> = {}): EntryPlan => ({
  name: 'origin',
  steps: [],
  spec: {
    store: 'origin-pull',
    storeScope: { zoneId: ZONE_ID, hostnames: ['a.example.com'] },
    certificate: { text: `${fixture.client.pem}${fixture.ca.pem}`, input: 'certificate' },
    ca: false,
    allowMissingKey: false,
    replace: true,
    ...spec,
  },
  checked: { leaf, chain: [leaf], certificatesPem: fixture.client.pem } as CheckedCertificate,
})

describe('zoneOf', () => {
  it("is the entry's zone, and refuses an entry the rules should have stopped", () => {
    expect(zoneOf(entry())).toBe(ZONE_ID)
    expect(() => zoneOf(entry({ storeScope: { hostnames: [] } }))).toThrow('an origin pull entry without its zone')
  })
})

describe('originPullSpecOf', () => {
  it('gives the planner the leaf alone (Cloudflare takes a leaf), the hostnames and replace, never the key', () => {
    const spec = originPullSpecOf(entry({ privateKey: { text: fixture.keyPem, input: 'private-key' } }))
    expect(spec).toEqual({ certificate: leaf.toString(), hostnames: ['a.example.com'], retire: true })
    expect(spec.certificate).not.toContain(fixture.ca.pem.split('\n')[1])
    expect(JSON.stringify(spec)).not.toContain(fixture.keyPem.split('\n')[1])
    expect(originPullSpecOf(entry({ replace: false, storeScope: { zoneId: ZONE_ID, hostnames: [] } }))).toMatchObject({
      hostnames: [],
      retire: false,
    })
  })
})

describe('the retire part (plan/store-steps.ts) and storeText', () => {
  it('take retire and keep as the retire step’s', () => {
    const steps: OriginPullStep[] = [
      { action: 'retire', id: 'a', reason: '' },
      { action: 'keep', id: 'a', reason: '' },
      { action: 'upload' },
      { action: 'wait', hostnames: [] },
    ]
    expect(steps.map((step) => partsOf([step]).later.length === 1)).toEqual([true, true, false, false])
  })

  it('names the zone, per hostname or zone-level', () => {
    expect(storeText(ZONE_ID, ['a.example.com'])).toBe(`origin pulls, zone ${ZONE_ID}, per hostname`)
    expect(storeText(ZONE_ID, [])).toBe(`origin pulls, zone ${ZONE_ID}, zone-level`)
  })
})
