import { describe, expect, it } from 'vitest'
import { ConfigSyntaxError, type TextEdit } from '../../../src/wrangler/document.ts'
import { readToml } from '../../../src/wrangler/toml.ts'

const ID = '2458ce5a-0c35-4c7f-82c7-8e9487d3ff60'

const applied = (text: string, edits: TextEdit[]): string =>
  [...edits]
    .sort((a, b) => b.offset - a.offset)
    .reduce(
      (result, edit) => result.slice(0, edit.offset) + edit.content + result.slice(edit.offset + edit.length),
      text,
    )

describe('readToml', () => {
  it('finds entries in tables and inline arrays, at the top level and in environments', () => {
    const text = `name = "payments"
mtls_certificates = [{ binding = "A", certificate_id = "old" }]

[[env.production.mtls_certificates]]
binding = "B"

[env.staging]
mtls_certificates = [{ binding = "C" }]
`
    const document = readToml(text)
    expect(document.value).toMatchObject({ name: 'payments' })
    expect(document.entries.map(({ binding, certificateId, path }) => ({ binding, certificateId, path }))).toEqual([
      { binding: 'A', certificateId: 'old', path: ['mtls_certificates', 0] },
      { binding: 'B', certificateId: undefined, path: ['env', 'production', 'mtls_certificates', 0] },
      { binding: 'C', certificateId: undefined, path: ['env', 'staging', 'mtls_certificates', 0] },
    ])
  })

  it('replaces an id in the quotes the file uses, and nothing around it', () => {
    const text = "[[mtls_certificates]]\nbinding = 'A'\ncertificate_id = 'old' # rotated by CI\n"
    const [entry] = readToml(text).entries
    expect(applied(text, entry?.setId(ID) ?? [])).toBe(
      `[[mtls_certificates]]\nbinding = 'A'\ncertificate_id = '${ID}' # rotated by CI\n`,
    )
  })

  it('inserts a missing id after the binding: on its own line, indented and ended as it is, or in the inline table', () => {
    const table = '[[mtls_certificates]]\r\n  binding = "A"\r\n  other = 1\r\n'
    expect(applied(table, readToml(table).entries[0]?.setId(ID) ?? [])).toBe(
      `[[mtls_certificates]]\r\n  binding = "A"\r\n  certificate_id = "${ID}"\r\n  other = 1\r\n`,
    )
    const last = '[[mtls_certificates]]\nbinding = "A"'
    expect(applied(last, readToml(last).entries[0]?.setId(ID) ?? [])).toBe(`${last}\ncertificate_id = "${ID}"`)
    const inline = 'mtls_certificates = [{ binding = "A" }]\n'
    expect(applied(inline, readToml(inline).entries[0]?.setId(ID) ?? [])).toBe(
      `mtls_certificates = [{ binding = "A", certificate_id = "${ID}" }]\n`,
    )
  })

  it('leaves an entry without a binding unedited', () => {
    const text = '[[mtls_certificates]]\nother = 1\n'
    expect(readToml(text).entries[0]?.setId(ID)).toEqual([])
  })

  it('refuses what does not parse, or a key written twice, with the line', () => {
    for (const text of ['name = "a"\nname = "b"\n', 'name = "a"\n[broken\n']) {
      let error: unknown
      try {
        readToml(text)
      } catch (thrown) {
        error = thrown
      }
      expect(error).toBeInstanceOf(ConfigSyntaxError)
      expect((error as ConfigSyntaxError).line).toBe(2)
      expect((error as ConfigSyntaxError).message).not.toContain('\n')
    }
  })
})
