import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { parse as parseJsonc } from 'jsonc-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { loadBindings } from '../../../src/wrangler/config.ts'
import { planBindingEdits } from '../../../src/wrangler/edits.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

const OLD = '11111111-1111-4111-8111-111111111111'
const OTHER = '22222222-2222-4222-8222-222222222222'
const NEW = '33333333-3333-4333-8333-333333333333'

/** Plans the edit of one file holding `text`, binding PAYMENTS_CERT. */
function plan(name: string, text: string, binding = 'PAYMENTS_CERT') {
  const workspace = mkdtempSync(join(tmpdir(), 'wrangler-edits-'))
  writeFileSync(join(workspace, name), text)
  const edits = planBindingEdits(loadBindings(workspace, [{ config: name, binding }]), NEW)
  const file = edits.files[0]
  if (!file) throw new Error('no file planned')
  return file
}

describe('planBindingEdits on TOML', () => {
  it('replaces the id in [[mtls_certificates]] tables and nothing else, byte for byte', () => {
    const text = `# Payments Worker
name = "payments"
main = "src/index.ts"

[[mtls_certificates]]
binding = "PAYMENTS_CERT"   # the client certificate
certificate_id = "${OLD}"

[[mtls_certificates]]
binding = "OTHER_CERT"
certificate_id = "${OTHER}"
`
    const file = plan('wrangler.toml', text)
    expect(file.after).toBe(text.replace(OLD, NEW))
    expect(file.entries).toEqual([{ section: 'top level', oldId: OLD, newId: NEW }])
    expect(file.changed).toBe(true)
  })

  it('edits the inline array form, keeping literal quotes and the other binding', () => {
    const text = `name = 'payments'\nmtls_certificates = [\n  { binding = 'OTHER_CERT', certificate_id = '${OTHER}' },\n  { binding = 'PAYMENTS_CERT', certificate_id = '${OLD}' },\n]\n`
    const file = plan('wrangler.toml', text)
    expect(file.after).toBe(text.replace(`'${OLD}'`, `'${NEW}'`))
  })

  it('edits every environment: [[env.production.mtls_certificates]] and [env.staging] with an inline array', () => {
    const text = [
      'name = "payments"',
      '[[mtls_certificates]]',
      'binding = "PAYMENTS_CERT"',
      `certificate_id = "${OLD}"`,
      '',
      '[env.staging]',
      'name = "payments-test"',
      `mtls_certificates = [{ binding = "PAYMENTS_CERT", certificate_id = "${OLD}" }]`,
      '',
      '[[env.production.mtls_certificates]]',
      '  binding = "PAYMENTS_CERT"',
      `  certificate_id = "${OTHER}"`,
      '',
    ].join('\n')
    const file = plan('wrangler.toml', text)
    expect(file.after).toBe(text.replaceAll(OLD, NEW).replace(OTHER, NEW))
    expect(file.entries.map((entry) => [entry.section, entry.oldId])).toEqual([
      ['top level', OLD],
      ['env.staging', OLD],
      ['env.production', OTHER],
    ])
    const parsed = parseToml(file.after) as { env: { production: { mtls_certificates: { certificate_id: string }[] } } }
    expect(parsed.env.production.mtls_certificates[0]?.certificate_id).toBe(NEW)
  })

  it('keeps CRLF line endings and a missing final newline', () => {
    const text = `name = "payments"\r\n[[mtls_certificates]]\r\nbinding = "PAYMENTS_CERT"\r\ncertificate_id = "${OLD}"`
    expect(plan('wrangler.toml', text).after).toBe(text.replace(OLD, NEW))
  })

  it('inserts certificate_id where an entry has none, in both forms, with the file line ending', () => {
    const table = plan('wrangler.toml', 'name = "p"\r\n[[mtls_certificates]]\r\n  binding = "PAYMENTS_CERT" # note\r\n')
    expect(table.after).toBe(
      `name = "p"\r\n[[mtls_certificates]]\r\n  binding = "PAYMENTS_CERT" # note\r\n  certificate_id = "${NEW}"\r\n`,
    )
    expect(table.entries).toEqual([{ section: 'top level', newId: NEW }])
    const last = plan('wrangler.toml', '[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"')
    expect(last.after).toBe(`[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\ncertificate_id = "${NEW}"`)
    const inline = plan('wrangler.toml', 'mtls_certificates = [ { binding = "PAYMENTS_CERT" } ]\n')
    expect(inline.after).toBe(`mtls_certificates = [ { binding = "PAYMENTS_CERT", certificate_id = "${NEW}" } ]\n`)
  })

  it('keeps CRLF when the id goes after a binding on the last line, which has no line ending', () => {
    const file = plan('wrangler.toml', 'name = "p"\r\n[[mtls_certificates]]\r\nbinding = "PAYMENTS_CERT"')
    expect(file.after).toBe(
      `name = "p"\r\n[[mtls_certificates]]\r\nbinding = "PAYMENTS_CERT"\r\ncertificate_id = "${NEW}"`,
    )
    expect(file.after.replaceAll('\r\n', '')).not.toContain('\n')
  })

  it('edits an inline table over several lines, as TOML 1.1 and wrangler allow', () => {
    const text = `mtls_certificates = [\n  {\n    binding = "PAYMENTS_CERT",\n    certificate_id = "${OLD}",\n  },\n]\n`
    expect(plan('wrangler.toml', text).after).toBe(text.replace(OLD, NEW))
  })

  it('changes nothing when the file already holds the id everywhere', () => {
    const text = `[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\ncertificate_id = "${NEW}"\n`
    const file = plan('wrangler.toml', text)
    expect(file.changed).toBe(false)
    expect(file.after).toBe(text)
    expect(file.entries).toEqual([{ section: 'top level', oldId: NEW, newId: NEW }])
  })
})

describe('planBindingEdits on JSON and JSONC', () => {
  it('replaces the id in a JSONC file with comments and trailing commas, and only for the named binding', () => {
    const text = `{
  // Payments Worker
  "name": "payments",
  "mtls_certificates": [
    { "binding": "OTHER_CERT", "certificate_id": "${OTHER}" },
    { "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}" }, /* rotated by CI */
  ],
  "env": {
    "production": {
      "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${OLD}", },],
    },
  },
}
`
    const file = plan('wrangler.jsonc', text)
    expect(file.after).toBe(text.replaceAll(OLD, NEW))
    expect(file.entries.map((entry) => entry.section)).toEqual(['top level', 'env.production'])
  })

  it('edits plain JSON with tabs and CRLF, and inserts a missing id in the file own format', () => {
    const text = `{\r\n\t"name": "payments",\r\n\t"mtls_certificates": [\r\n\t\t{\r\n\t\t\t"binding": "PAYMENTS_CERT"\r\n\t\t}\r\n\t]\r\n}\r\n`
    const file = plan('wrangler.json', text)
    expect(file.after).toBe(
      `{\r\n\t"name": "payments",\r\n\t"mtls_certificates": [\r\n\t\t{\r\n\t\t\t"binding": "PAYMENTS_CERT",\r\n\t\t\t"certificate_id": "${NEW}"\r\n\t\t}\r\n\t]\r\n}\r\n`,
    )
    expect(
      (parseJsonc(file.after) as { mtls_certificates: { certificate_id: string }[] }).mtls_certificates[0]
        ?.certificate_id,
    ).toBe(NEW)
  })

  it('keeps an object on one line on one line: only the key and the id are added', () => {
    const oneLine = '{ "name": "p", "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }\n'
    expect(plan('wrangler.json', oneLine).after).toBe(
      `{ "name": "p", "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${NEW}" }] }\n`,
    )
    const trailing = `{\n  // payments\n  "mtls_certificates": [\n    { "binding": "PAYMENTS_CERT", /* CI */ },\n  ],\n}\n`
    expect(plan('wrangler.jsonc', trailing).after).toBe(
      trailing.replace('"PAYMENTS_CERT"', `"PAYMENTS_CERT", "certificate_id": "${NEW}"`),
    )
  })

  it('changes nothing on a re-run', () => {
    const text = `{ "mtls_certificates": [{ "binding": "PAYMENTS_CERT", "certificate_id": "${NEW}" }] }`
    expect(plan('wrangler.json', text).changed).toBe(false)
  })
})
