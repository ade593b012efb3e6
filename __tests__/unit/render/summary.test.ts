import { describe, expect, it } from 'vitest'
import type { Outputs } from '../../../src/upload/outputs.ts'
import type { Replacement } from '../../../src/replace/policy.ts'
import { escapeForSummary } from '../../../src/core/html.ts'
import type { RunContext } from '../../../src/action/run-context.ts'
import { renderSummary, type RunReport } from '../../../src/upload/summary.ts'

const HOSTILE = `<script>alert("x")</script> & 'q' | col`
const HOSTILE_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#124; col'

const outputs = (overrides: Partial<Outputs> = {}): Outputs => ({
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
  'replaced-ids': '[]',
  'replace-candidates': '[]',
  hostnames: '[]',
  'wrangler-configs': '[]',
  ...overrides,
})

const report = (overrides: Partial<RunReport> = {}): RunReport => ({
  action: 'uploaded',
  dryRun: false,
  outputs: outputs(),
  daysLeft: 400,
  replace: false,
  replaceWhen: 'immediately',
  replacements: [],
  candidates: [],
  ...overrides,
})

const replacement = (overrides: Partial<Replacement> = {}): Replacement => ({
  id: 'old-1',
  uploadedOn: '2024-03-01T12:00:00Z',
  action: 'deleted',
  reason: 'older, same name, not in use',
  warn: false,
  ...overrides,
})

const CONTEXT: RunContext = {
  serverUrl: 'https://github.com',
  repository: 'acme/infra',
  sha: '0123456789abcdef0123456789abcdef01234567',
  runId: 987654321,
}

describe('escapeForSummary', () => {
  it('escapes every HTML and table metacharacter', () => {
    expect(escapeForSummary(HOSTILE)).toBe(HOSTILE_ESCAPED)
  })

  it('escapes an ampersand once, before the others', () => {
    expect(escapeForSummary('&lt;')).toBe('&amp;lt;')
  })

  it('leaves other text alone', () => {
    expect(escapeForSummary('CN=client,O=Acme\\, Inc. – ü')).toBe('CN=client,O=Acme\\, Inc. – ü')
  })
})

describe('summary injection', () => {
  const hostile = 'evil\n\n# Pwned\n\n![x](https://attacker.example/p.png) [click](https://attacker.example)\r\n\u0085x'

  it('keeps every value on one line, so that no blank line ends the HTML block', () => {
    const html = renderSummary(
      report({
        outputs: outputs({ name: hostile, issuer: hostile, 'certificate-id': hostile }),
        replace: true,
        replacements: [replacement({ id: hostile, uploadedOn: hostile, reason: hostile })],
      }),
      CONTEXT,
    )
    expect(html).not.toMatch(/\n\s*\n/)
    expect(html).not.toMatch(/^#/m)
    expect(html).not.toMatch(/[\r\u0085]/)
    expect(html).toContain('<code>evil\\n\\n# Pwned\\n\\n![x](https://attacker.example/p.png)')
    // One line per table row, as rendered from the fixed template: the hostile text added none.
    const benign = renderSummary(report({ replace: true, replacements: [replacement()] }), CONTEXT)
    expect(html.split('\n')).toHaveLength(benign.split('\n').length)
  })
})

describe('renderSummary', () => {
  it('shows the outputs in a table with the headline of the action', () => {
    const html = renderSummary(report(), CONTEXT)
    expect(html.startsWith('<h2>Uploaded a new mTLS certificate to Cloudflare</h2>\n<table>\n')).toBe(true)
    expect(html).toContain('<tr><th align="left">Name</th><td><code>payments-client</code></td></tr>')
    expect(html).toContain(
      '<tr><th align="left">Expires on</th><td><code>2031-05-06T07:08:09Z (400 days left)</code></td></tr>',
    )
    expect(html.endsWith('</p>\n')).toBe(true)
  })

  it.each([
    ['would upload', 'Dry run: this certificate would be uploaded'],
    ['reused', 'The account already holds this mTLS certificate: nothing uploaded'],
  ] as const)('has a headline for %s', (action, headline) => {
    expect(renderSummary(report({ action }), CONTEXT)).toContain(`<h2>${headline}</h2>`)
  })

  it('shows placeholders for a certificate that was not uploaded', () => {
    const html = renderSummary(
      report({ outputs: outputs({ 'certificate-id': '', 'uploaded-on': '', name: '' }) }),
      CONTEXT,
    )
    expect(html).toContain('<th align="left">Certificate ID</th><td><code>(not uploaded)</code>')
    expect(html).toContain('<th align="left">Uploaded on</th><td><code>(not uploaded)</code>')
    expect(html).toContain('<th align="left">Name</th><td><code>(none)</code>')
  })

  it.each([
    'certificate-id',
    'expires-on',
    'issuer',
    'serial-number',
    'signature',
    'uploaded-on',
    'name',
    'ca',
    'fingerprint-sha256',
  ] as const)('escapes the %s output', (field) => {
    const html = renderSummary(report({ outputs: outputs({ [field]: HOSTILE }) }), CONTEXT)
    expect(html).toContain(HOSTILE_ESCAPED)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('| col')
  })

  it('escapes every field of a replacement, and the name in its heading', () => {
    const html = renderSummary(
      report({
        replace: true,
        outputs: outputs({ name: HOSTILE }),
        replacements: [replacement({ id: HOSTILE, uploadedOn: HOSTILE, reason: HOSTILE })],
      }),
      CONTEXT,
    )
    expect(html).toContain(`<h3>Other certificates named ${HOSTILE_ESCAPED}</h3>`)
    expect(html).toContain(
      `<tr><td><code>${HOSTILE_ESCAPED}</code></td><td>${HOSTILE_ESCAPED}</td><td>deleted</td><td>${HOSTILE_ESCAPED}</td></tr>`,
    )
    expect(html).not.toContain('<script>')
  })

  it('escapes the repository and commit in the provenance', () => {
    const html = renderSummary(report(), { serverUrl: 'https://github.com', repository: 'a"><b>/x', sha: '<i>"' })
    expect(html).not.toMatch(/<b>|<i>/)
    expect(html).toContain('<a href="https://github.com/a&quot;&gt;&lt;b&gt;/x">a&quot;&gt;&lt;b&gt;/x</a>')
  })

  it('links the repository, the commit (shortened) and the run', () => {
    const html = renderSummary(report(), CONTEXT)
    expect(html).toContain(
      '<p>From <a href="https://github.com/acme/infra">acme/infra</a> at commit <a href="https://github.com/acme/infra/commit/0123456789abcdef0123456789abcdef01234567"><code>0123456789ab</code></a> in <a href="https://github.com/acme/infra/actions/runs/987654321">run 987654321</a>.</p>',
    )
  })

  it('leaves out the commit and run links it has no data for', () => {
    const html = renderSummary(report(), { serverUrl: 'https://ghe.example.com', repository: 'acme/infra' })
    expect(html).toContain('<p>From <a href="https://ghe.example.com/acme/infra">acme/infra</a>.</p>')
  })

  it('says when it ran outside GitHub Actions', () => {
    expect(renderSummary(report(), { serverUrl: 'https://github.com' })).toContain(
      '<p>Uploaded outside a GitHub Actions run.</p>',
    )
  })

  it('shows no replacement section without replace, even with replacements given', () => {
    const html = renderSummary(report({ replace: false, replacements: [replacement()] }), CONTEXT)
    expect(html).not.toContain('Other certificates')
    expect(html).not.toContain('Replace:')
    expect(html).not.toContain('old-1')
  })

  it('lists every replacement with replace', () => {
    const html = renderSummary(
      report({
        replace: true,
        replacements: [
          replacement(),
          replacement({ id: 'old-2', action: 'kept', reason: 'still in use by gateway (active)', warn: true }),
        ],
      }),
      CONTEXT,
    )
    expect(html).toContain(
      '<h3>Other certificates named payments-client</h3>\n<table>\n<tr><th>ID</th><th>Uploaded on</th><th>Action</th><th>Why</th></tr>\n',
    )
    expect(html).toContain(
      '<tr><td><code>old-1</code></td><td>2024-03-01T12:00:00Z</td><td>deleted</td><td>older, same name, not in use</td></tr>',
    )
    expect(html).toContain('<td>kept</td><td>still in use by gateway (active)</td>')
  })

  it('says that replace found nothing to replace', () => {
    const html = renderSummary(report({ replace: true }), CONTEXT)
    expect(html).toContain('<p>Replace: no older certificate with this name and CA flag was found.</p>')
    expect(html).not.toContain('<h3>')
  })
})

describe('the API Shield hostnames section', () => {
  const ZONE = '9a7806061c88ada191ed06f989cc3dac'
  const attachment = {
    zoneId: ZONE,
    after: ['legacy.example.com', 'api.example.com', 'new.example.com'],
    attached: ['new.example.com'],
    alreadyThere: ['api.example.com'],
    applied: true,
  }

  it('lists each hostname of the new CA, and what replace did on the older CAs', () => {
    const html = renderSummary(
      report({
        hostnames: attachment,
        replace: true,
        replacements: [
          replacement({
            id: 'old-1',
            hostnames: { detach: ['api.example.com'], keep: ['partner.example.com'], applied: true },
          }),
        ],
      }),
      CONTEXT,
    )
    expect(html).toContain(`<h3>API Shield hostnames in zone <code>${ZONE}</code></h3>`)
    const rows = [...html.matchAll(/<tr><td><code>([^<]+)<\/code><\/td><td>([^<]+)<\/td><td>(.*?)<\/td><\/tr>/g)]
      .map((m) => [m[1], m[2], m[3]])
      .filter((row) => row[0]?.endsWith('.example.com'))
    expect(rows).toEqual([
      ['legacy.example.com', 'already there (not given to this step)', 'this CA'],
      ['api.example.com', 'already there', 'this CA'],
      ['new.example.com', 'attached', 'this CA'],
      ['api.example.com', 'detached from the older CA', '<code>old-1</code>'],
      ['partner.example.com', 'kept on the older CA: not given to this step', '<code>old-1</code>'],
    ])
  })

  it('says "would" for an attach that is only planned', () => {
    const planned = { ...attachment, applied: false }
    const html = renderSummary(report({ dryRun: true, action: 'would upload', hostnames: planned }), CONTEXT)
    expect(html).toContain('<td>would attach</td>')
    expect(html).not.toContain('<td>attached</td>')
  })

  it('escapes the hostnames an answer holds', () => {
    const html = renderSummary(report({ hostnames: { ...attachment, after: [HOSTILE] } }), CONTEXT)
    expect(html).toContain(`<code>${HOSTILE_ESCAPED}</code>`)
    expect(html).not.toContain('<script>')
  })

  it('is left out without zone-id', () => {
    expect(renderSummary(report(), CONTEXT)).not.toContain('API Shield')
  })
})
