import { describe, expect, it } from 'vitest'
import type { RunContext } from '../../../src/action/run-context.ts'
import { OperationError } from '../../../src/core/errors.ts'
import { emptyReport, type Report } from '../../../src/core/report.ts'
import { manifestSummary, postFailure, postSummary, singleSummary } from '../../../src/render/summary.ts'

const HOSTILE = `<script>alert("x")</script> & 'q' | col`
const HOSTILE_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#124; col'

const OUTPUTS = {
  'certificate-id': '2458ce5a-0c35-4c7f-82c7-8e9487d3ff60',
  'expires-on': '2031-05-06T07:08:09Z',
  issuer: 'CN=Test Root CA',
  'serial-number': '956397711105',
  signature: 'ECDSAWithSHA256',
  'uploaded-on': '2025-03-01T12:00:00Z',
  name: 'payments-client',
  ca: 'false',
  'fingerprint-sha256': 'AB:CD',
  created: 'true',
}

const report = (outputs: Record<string, string> = {}, extra: Partial<Report> = {}): Report => ({
  ...emptyReport(),
  rows: [{ name: '', action: 'upload' }],
  outputs: { ...OUTPUTS, ...outputs },
  ...extra,
})

const CONTEXT: RunContext = {
  serverUrl: 'https://github.com',
  repository: 'acme/infra',
  sha: '0123456789abcdef0123456789abcdef01234567',
  runId: 987654321,
}

const applied = { daysLeft: 400, applied: true }

describe('singleSummary', () => {
  it('shows the outputs in a table under the headline, and ends with the provenance', () => {
    const html = singleSummary(report(), applied, CONTEXT)
    expect(html.startsWith('<h2>Uploaded a new mTLS certificate to Cloudflare</h2>\n<table>\n')).toBe(true)
    expect(html).toContain('<tr><th align="left">Name</th><td><code>payments-client</code></td></tr>')
    expect(html).toContain(
      '<tr><th align="left">Expires on</th><td><code>2031-05-06T07:08:09Z (400 days left)</code></td></tr>',
    )
    expect(html.endsWith('</p>\n')).toBe(true)
  })

  it('takes the headline from the first row (reuse or upload) and whether it was applied', () => {
    const reused = report({}, { rows: [{ name: '', action: 'reuse' }] })
    expect(singleSummary(reused, applied, CONTEXT)).toContain(
      '<h2>The account already holds this mTLS certificate: nothing uploaded</h2>',
    )
    expect(singleSummary(report(), { daysLeft: 1, applied: false }, CONTEXT)).toContain(
      '<h2>Dry run: this certificate would be uploaded</h2>',
    )
  })

  it('shows placeholders for a certificate that was not uploaded', () => {
    const html = singleSummary(report({ 'certificate-id': '', 'uploaded-on': '', name: '' }), applied, CONTEXT)
    expect(html).toContain('<th align="left">Certificate ID</th><td><code>(not uploaded)</code>')
    expect(html).toContain('<th align="left">Uploaded on</th><td><code>(not uploaded)</code>')
    expect(html).toContain('<th align="left">Name</th><td><code>(none)</code>')
  })

  it.each(Object.keys(OUTPUTS).filter((key) => key !== 'created'))('escapes the %s output', (field) => {
    const html = singleSummary(report({ [field]: HOSTILE }), applied, CONTEXT)
    expect(html).toContain(HOSTILE_ESCAPED)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('| col')
  })

  it("keeps hostile text on one line, so that no blank line ends the HTML block, and escapes the targets' sections", () => {
    const hostile = 'evil\n\n# Pwned\n\n![x](https://attacker.example/p.png)\r\n\u0085x'
    const sections = [{ heading: [hostile], table: { columns: ['ID'], rows: [[{ code: hostile }]] } }]
    const html = singleSummary(
      report({ name: hostile, issuer: hostile, 'certificate-id': hostile }, { sections }),
      applied,
      CONTEXT,
    )
    expect(html).not.toMatch(/\n\s*\n/)
    expect(html).not.toMatch(/^#/m)
    expect(html).not.toMatch(/[\r\u0085]/)
    const benign = singleSummary(
      report({}, { sections: [{ heading: ['h'], table: { columns: ['ID'], rows: [['i']] } }] }),
      applied,
      CONTEXT,
    )
    expect(html.split('\n')).toHaveLength(benign.split('\n').length)
  })

  it('puts the sections between the table and the provenance', () => {
    const html = singleSummary(report({}, { sections: [{ paragraphs: [['Replace: nothing.']] }] }), applied, CONTEXT)
    expect(html).toMatch(/<\/table>\n<p>Replace: nothing\.<\/p>\n<p>From /)
  })

  it('links the repository, the commit (shortened) and the run', () => {
    expect(singleSummary(report(), applied, CONTEXT)).toContain(
      '<p>From <a href="https://github.com/acme/infra">acme/infra</a> at commit <a href="https://github.com/acme/infra/commit/0123456789abcdef0123456789abcdef01234567"><code>0123456789ab</code></a> in <a href="https://github.com/acme/infra/actions/runs/987654321">run 987654321</a>.</p>',
    )
  })

  it('escapes the repository and commit in the provenance', () => {
    const html = singleSummary(report(), applied, {
      serverUrl: 'https://github.com',
      repository: 'a"><b>/x',
      sha: '<i>',
    })
    expect(html).toContain('<a href="https://github.com/a&quot;&gt;&lt;b&gt;/x">a&quot;&gt;&lt;b&gt;/x</a>')
    expect(html).toContain('<code>&lt;i&gt;</code>')
    expect(html).not.toContain('<b>')
  })

  it('leaves out the links it has no data for, and says when it ran outside GitHub Actions', () => {
    expect(
      singleSummary(report(), applied, { serverUrl: 'https://ghe.example.com', repository: 'acme/infra' }),
    ).toContain('<p>From <a href="https://ghe.example.com/acme/infra">acme/infra</a>.</p>')
    expect(singleSummary(report(), applied, { serverUrl: 'https://github.com' })).toContain(
      '<p>Uploaded outside a GitHub Actions run.</p>',
    )
  })
})

describe('manifestSummary', () => {
  it('heads with the manifest (escaped) and says dry run, then the plan table', () => {
    const html = manifestSummary(HOSTILE, true, [{ name: 'a', action: 'upload' }], [])
    expect(html).toContain(`<h2>mTLS certificates (dry run): ${HOSTILE_ESCAPED}</h2>`)
    expect(html).toContain('<td>a</td><td>upload</td>')
    expect(html).not.toContain('Failed:')
    expect(manifestSummary('m.yml', false, [], [])).toContain('<h2>mTLS certificates: m.yml</h2>')
  })

  it('lists the failed entries with their messages, escaped', () => {
    const html = manifestSummary('m.yml', false, [], [{ name: HOSTILE, error: new OperationError(`bad ${HOSTILE}`) }])
    expect(html).toContain(`<li><code>${HOSTILE_ESCAPED}</code>: bad ${HOSTILE_ESCAPED}</li>`)
    expect(html).not.toContain('<script>')
  })
})

describe('postSummary and postFailure', () => {
  it("renders each report's sections, one block each", () => {
    const a: Report = { ...emptyReport(), sections: [{ heading: ['A'] }] }
    const b: Report = { ...emptyReport(), sections: [{ paragraphs: [[HOSTILE]] }] }
    expect(postSummary([a, b])).toBe(`<h3>A</h3>\n<p>${HOSTILE_ESCAPED}</p>\n`)
    expect(postSummary([])).toBe('')
  })

  it('says why a retire could not finish, every value escaped', () => {
    const html = postFailure(HOSTILE, '<id>', 'refused & more')
    expect(html).toContain(`named ${HOSTILE_ESCAPED} older than <code>&lt;id&gt;</code>`)
    expect(html).toContain('Could not finish: refused &amp; more.')
    expect(html).not.toContain('<script>')
  })
})
