import { describe, expect, it } from 'vitest'
import { ConfigSyntaxError, DuplicateKeyError, type TextEdit } from '../../../src/wrangler/document.ts'
import { readJson } from '../../../src/wrangler/json.ts'

const ID = '2458ce5a-0c35-4c7f-82c7-8e9487d3ff60'

/** The text with the edits made, last first so that offsets hold. */
const applied = (text: string, edits: TextEdit[]): string =>
  [...edits]
    .sort((a, b) => b.offset - a.offset)
    .reduce(
      (result, edit) => result.slice(0, edit.offset) + edit.content + result.slice(edit.offset + edit.length),
      text,
    )

const caught = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('the text was read')
}

describe('readJson', () => {
  it('reads JSON with comments and trailing commas, and finds the entries at the top level and in each environment', () => {
    const text = `{
  // the Worker
  "name": "payments",
  "mtls_certificates": [{ "binding": "A", "certificate_id": "old" }, "not an entry",],
  "env": { "production": { "mtls_certificates": [{ "binding": "B" }] }, "staging": 3 },
}`
    const document = readJson(text)
    expect(document.value).toMatchObject({ name: 'payments' })
    expect(document.entries.map(({ binding, certificateId, path }) => ({ binding, certificateId, path }))).toEqual([
      { binding: 'A', certificateId: 'old', path: ['mtls_certificates', 0] },
      { binding: 'B', certificateId: undefined, path: ['env', 'production', 'mtls_certificates', 0] },
    ])
  })

  it('replaces an id in place, and inserts one on the same line for an entry on one line', () => {
    const text = '{ "mtls_certificates": [{ "binding": "A", "certificate_id": "old" }, { "binding": "B" }] }\n'
    const [first, second] = readJson(text).entries
    expect(applied(text, first?.setId(ID) ?? [])).toBe(
      `{ "mtls_certificates": [{ "binding": "A", "certificate_id": "${ID}" }, { "binding": "B" }] }\n`,
    )
    expect(applied(text, second?.setId(ID) ?? [])).toBe(
      `{ "mtls_certificates": [{ "binding": "A", "certificate_id": "old" }, { "binding": "B", "certificate_id": "${ID}" }] }\n`,
    )
  })

  it('inserts an id into an entry over several lines as the file is indented, with its line endings', () => {
    const text = '{\r\n\t"mtls_certificates": [\r\n\t\t{\r\n\t\t\t"binding": "A"\r\n\t\t}\r\n\t]\r\n}\r\n'
    const [entry] = readJson(text).entries
    const edited = applied(text, entry?.setId(ID) ?? [])
    expect(edited).toBe(
      `{\r\n\t"mtls_certificates": [\r\n\t\t{\r\n\t\t\t"binding": "A",\r\n\t\t\t"certificate_id": "${ID}"\r\n\t\t}\r\n\t]\r\n}\r\n`,
    )
    expect(readJson(edited).entries[0]?.certificateId).toBe(ID)
  })

  it('refuses a key written twice on the way to a binding, naming both lines; elsewhere it does not matter', () => {
    const error = caught(() =>
      readJson('{\n  "mtls_certificates": [{\n    "binding": "A",\n    "binding": "B"\n  }]\n}'),
    )
    expect(error).toBeInstanceOf(DuplicateKeyError)
    expect(error).toMatchObject({
      key: 'binding',
      path: ['mtls_certificates', 0, 'binding'],
      firstLine: 3,
      line: 4,
      column: 5,
    })
    expect(readJson('{ "vars": { "a": 1, "a": 2 }, "mtls_certificates": [] }').entries).toEqual([])
  })

  it('refuses what does not parse, with the position and what was expected', () => {
    const error = caught(() => readJson('{\n  "name": "x"\n  "main": "y"\n}'))
    expect(error).toBeInstanceOf(ConfigSyntaxError)
    expect(error).toMatchObject({ message: 'comma expected', line: 3, column: 3 })
    expect(caught(() => readJson('   '))).toMatchObject({ message: 'value expected', line: 1, column: 4 })
  })
})
