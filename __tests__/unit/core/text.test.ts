import { describe, expect, it } from 'vitest'
import { joinSentences, printable, someOf } from '../../../src/core/text.ts'

describe('printable', () => {
  it('shows line breaks and other control characters as JSON writes them', () => {
    expect(printable('a\r\nb\rc\nd\te')).toBe('a\\r\\nb\\rc\\nd\\te')
    expect(printable('bell\u0007 esc\u001b[31m del\u007f nel\u0085 ls\u2028 ps\u2029')).toBe(
      'bell\\u0007 esc\\u001b[31m del\\u007f nel\\u0085 ls\\u2028 ps\\u2029',
    )
  })

  it('shows bidirectional and other format characters escaped, so that they cannot reorder what a reader sees', () => {
    // "invoice.pdf" that reads "fdp.exe" backwards, and isolates, zero widths, the BOM and a tag character.
    expect(printable('cert-\u202Efdp.exe')).toBe('cert-\\u202efdp.exe')
    expect(printable('a\u202Ab\u202Bc\u202Cd\u202De\u2066f\u2067g\u2068h\u2069')).toBe(
      'a\\u202ab\\u202bc\\u202cd\\u202de\\u2066f\\u2067g\\u2068h\\u2069',
    )
    expect(printable('x\u200By\u200Fz\uFEFF\u061C\u{E0041}')).toBe('x\\u200by\\u200fz\\ufeff\\u061c\\udb40\\udc41')
  })

  it('cannot start a new line that the runner would read as a workflow command', () => {
    for (const command of ['::add-mask::x', '::warning::x', '::stop-commands::token']) {
      for (const breakChars of ['\n', '\r', '\r\n']) {
        expect(printable(`id 1${breakChars}${command}`)).not.toMatch(/[\r\n]/)
      }
    }
  })

  it('keeps a line break in the form JSON gives it, so that a masked JSON-escaped secret still matches', () => {
    const secret = 'line one\nline two\ttabbed'
    expect(printable(secret)).toBe(JSON.stringify(secret).slice(1, -1))
  })

  it('leaves printable text alone, Unicode included', () => {
    const text = 'CN=client,O=Acme\\, Inc. – ü 日本 "quoted" %0A'
    expect(printable(text)).toBe(text)
  })
})

describe('joinSentences', () => {
  it('ends the first sentence once, whatever it ends with', () => {
    expect(joinSentences('perhaps your object identifier is invalid?', 'Check account-id.')).toBe(
      'perhaps your object identifier is invalid? Check account-id.',
    )
    expect(joinSentences('Done.', 'Next.')).toBe('Done. Next.')
    expect(joinSentences('HTTP 403: [10000] Authentication error', 'Check.')).toBe(
      'HTTP 403: [10000] Authentication error. Check.',
    )
  })
})

describe('someOf', () => {
  it('lists a few items, then says how many more', () => {
    expect(someOf(['a', 'b'], 3)).toBe('a, b')
    expect(someOf(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more')
  })
})
