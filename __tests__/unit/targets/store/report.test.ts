import { describe, expect, it } from 'vitest'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import type { Step } from '../../../../src/plan/step.ts'
import { lineText } from '../../../../src/render/words.ts'
import type { Placement } from '../../../../src/targets/store/placement.ts'
import { reportPlace } from '../../../../src/targets/store/report.ts'

const facts = {
  expiresOn: '2031-01-01T00:00:00Z',
  issuer: 'CN=Local CA',
  serialNumber: '01',
  signature: 'ECDSAWithSHA256',
  fingerprintSha256: 'AB:CD',
}
const entry = {
  spec: { name: 'payments', ca: false } as CertificateSpec,
  checked: { facts } as unknown as CheckedCertificate,
}
const remote = {
  id: 'c-1',
  name: 'payments',
  ca: false,
  expires_on: '2031-02-02T00:00:00Z',
  issuer: 'CN=Remote',
  serial_number: '02',
  signature: 'SHA256WithRSA',
  uploaded_on: '2025-03-01T12:00:00Z',
}
const place = (data: Placement): Step<Placement> => ({ target: 'store', action: 'place', when: 'now', data })
const upload = place({ kind: 'upload', body: { ca: false, certificates: 'pem' } })
const reuse = (warning?: string) =>
  place({ kind: 'reuse', certificate: remote, mayReplace: warning === undefined, ...(warning ? { warning } : {}) })
const lines = (report: ReturnType<typeof reportPlace>) => report.lines.map((l) => `${l.level}: ${lineText(l.parts)}`)

describe('reportPlace', () => {
  it("plans an upload: 'would upload', no id, and outputs from the local certificate", () => {
    const report = reportPlace(upload, undefined, entry)
    expect(lines(report)).toEqual(['info: Would upload the certificate: the account does not hold it yet.'])
    expect(report.rows).toEqual([{ name: '', action: 'upload' }])
    expect(report.outputs).toEqual({
      'certificate-id': '',
      'expires-on': facts.expiresOn,
      issuer: facts.issuer,
      'serial-number': facts.serialNumber,
      signature: facts.signature,
      'uploaded-on': '',
      name: 'payments',
      ca: 'false',
      'fingerprint-sha256': 'AB:CD',
      created: 'false',
    })
  })

  it("plans a reuse with its id and reason, and the outputs from the account's answer", () => {
    const report = reportPlace(reuse(), undefined, entry)
    expect(lines(report)).toEqual(['info: Would reuse certificate c-1: the account already holds it.'])
    expect(report.rows).toEqual([
      { name: '', action: 'reuse', id: 'c-1', reason: 'same certificate already in the account' },
    ])
    expect(report.outputs).toMatchObject({
      'certificate-id': 'c-1',
      issuer: 'CN=Remote',
      'uploaded-on': remote.uploaded_on,
    })
  })

  it('words an upload done, with its id and expiry, and created true', () => {
    const report = reportPlace(upload, { certificate: remote, created: true, mayReplace: true }, entry)
    expect(lines(report)).toEqual(['info: Uploaded certificate c-1, expiring 2031-02-02T00:00:00Z.'])
    expect(report.rows).toEqual([{ name: '', action: 'upload', id: 'c-1' }])
    expect(report.outputs.created).toBe('true')
  })

  it('words an upload that found the certificate there as adopted: a reuse row, nothing uploaded', () => {
    const report = reportPlace(upload, { certificate: remote, created: false, mayReplace: true }, entry)
    expect(lines(report)).toEqual([
      'info: The account already holds this certificate as c-1 (uploaded 2025-03-01T12:00:00Z): nothing uploaded.',
    ])
    expect(report.rows[0]).toMatchObject({ action: 'reuse', id: 'c-1' })
    expect(report.outputs.created).toBe('false')
  })

  it('warns of a copy under another name, planned or done', () => {
    expect(lines(reportPlace(reuse('under another name'), undefined, entry))[0]).toBe('warning: Under another name')
    const done = { certificate: remote, created: false, mayReplace: false, warning: 'renamed' }
    expect(lines(reportPlace(reuse('planned'), done, entry))[0]).toBe('warning: Renamed')
  })
})
