import { describe, expect, it } from 'vitest'
import { emptyReport, type Report } from '../../../src/core/report.ts'
import type { EntryPlan } from '../../../src/plan/step.ts'
import { certificatesOutput, singleOutputs } from '../../../src/pipeline/step-outputs.ts'

const report = (outputs: Report['outputs']): Report => ({ ...emptyReport(), outputs })

describe('singleOutputs', () => {
  it('sets every output, defaults for what no target reported, lists as JSON', () => {
    const outputs = singleOutputs(report({ 'certificate-id': 'c-1', created: 'true', hostnames: ['a.example'] }), false)
    expect(outputs).toMatchObject({
      'certificate-id': 'c-1',
      created: 'true',
      hostnames: '["a.example"]',
      'replaced-ids': '[]',
      'wrangler-configs': '[]',
      issuer: '',
    })
    expect(Object.keys(outputs)).toHaveLength(14)
    expect(singleOutputs(report({}), false).created).toBe('false')
  })

  it('leaves out hostnames for an entry that failed once placed, and keeps the rest', () => {
    const outputs = singleOutputs(report({ 'certificate-id': 'c-1', hostnames: ['a.example'] }), true)
    expect(outputs).not.toHaveProperty('hostnames')
    expect(outputs['certificate-id']).toBe('c-1')
  })
})

describe('certificatesOutput', () => {
  const entry = (name: string) => ({ name }) as EntryPlan

  it('gives each placed entry by name, with its targets only when they reported', () => {
    const output = certificatesOutput([
      {
        entry: entry('a'),
        report: report({ 'certificate-id': 'c-1', 'expires-on': 'x', created: 'true', 'fingerprint-sha256': 'f' }),
      },
      {
        entry: entry('b'),
        report: report({ 'certificate-id': 'c-2', created: 'false', hostnames: ['h'], 'wrangler-configs': ['w.toml'] }),
      },
    ])
    expect(output).toEqual({
      a: { id: 'c-1', 'expires-on': 'x', created: true, 'fingerprint-sha256': 'f' },
      b: {
        id: 'c-2',
        'expires-on': '',
        created: false,
        'fingerprint-sha256': '',
        hostnames: ['h'],
        'wrangler-configs': ['w.toml'],
      },
    })
  })

  it('leaves out an entry whose certificate was never placed', () => {
    expect(certificatesOutput([{ entry: entry('a'), report: report({}) }])).toEqual({})
  })
})
