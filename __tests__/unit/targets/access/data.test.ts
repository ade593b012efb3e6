import { describe, expect, it } from 'vitest'
import type { AccessStep } from '../../../../src/access/plan.ts'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import type { EntryPlan } from '../../../../src/plan/step.ts'
import { accessSpecOf, idOf, ownerOf } from '../../../../src/targets/access/data.ts'
import { partsOf } from '../../../../src/plan/store-steps.ts'
import { ACCOUNT_ID, ZONE_ID } from '../../../../test-kit/fixtures.ts'

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
const entry = (spec: { [K in keyof CertificateSpec]?: CertificateSpec[K] | undefined } = {}): EntryPlan => ({
  name: 'partners',
  steps: [],
  spec: {
    store: 'access',
    storeScope: { hostnames: ['app.example.com'] },
    certificate: { text: 'as given', input: 'certificate' },
    ca: true,
    allowMissingKey: false,
    replace: true,
    name: 'partners-ca',
    ...spec,
  } as CertificateSpec,
  checked: { certificatesPem: PEM } as CheckedCertificate,
})

describe('ownerOf', () => {
  it("is the entry's zone with zone-id, else the step's account", () => {
    expect(ownerOf(entry(), ACCOUNT_ID)).toEqual({ accountId: ACCOUNT_ID })
    expect(ownerOf(entry({ storeScope: { hostnames: [], zoneId: ZONE_ID } }), ACCOUNT_ID)).toEqual({ zoneId: ZONE_ID })
  })
})

describe('accessSpecOf', () => {
  it('gives the planner the checked PEM (not the text as given), the name, hostnames and replace', () => {
    expect(accessSpecOf(entry())).toEqual({
      name: 'partners-ca',
      certificate: PEM,
      hostnames: ['app.example.com'],
      retire: true,
    })
    expect(accessSpecOf(entry({ replace: false })).retire).toBe(false)
  })

  it('carries swap only when set, and no hostnames without a scope', () => {
    const swapped = accessSpecOf(entry({ storeScope: { hostnames: [], swap: 'detach-first' } }))
    expect(swapped).toMatchObject({ swap: 'detach-first', hostnames: [] })
    expect(accessSpecOf(entry({ storeScope: undefined }))).not.toHaveProperty('swap')
    expect(accessSpecOf(entry({ storeScope: undefined })).hostnames).toEqual([])
  })

  it('refuses an entry without its name (the rules require one for Access)', () => {
    expect(() => accessSpecOf(entry({ name: undefined }))).toThrow('an Access entry without its name')
  })
})

describe('the retire part (plan/store-steps.ts) and idOf', () => {
  it('take retire and keep as the retire step’s, and read the id of a step that names one', () => {
    const steps: AccessStep[] = [
      { action: 'retire', id: 'old', name: 'o', hostnames: [] },
      { action: 'keep', id: 'old', name: 'o', reason: 'r' },
      { action: 'upload', name: 'n', hostnames: [] },
      { action: 'attach', hostnames: ['a'] },
    ]
    expect(steps.map((step) => partsOf([step]).later.length === 1)).toEqual([true, true, false, false])
    expect(steps.map(idOf)).toEqual(['old', 'old', undefined, undefined])
  })
})
