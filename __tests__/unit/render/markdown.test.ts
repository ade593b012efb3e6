import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeBlock, codeSpanContent, cutText, escapeMarkdownCell, runLink } from '../../../src/render/markdown.ts'

/** What GFM shows for a code span: the text between the fences, one space stripped from each side when both are spaces. */
function codeSpanText(span: string): string {
  const fence = /^`+/.exec(span)?.[0] ?? ''
  expect(span.endsWith(fence)).toBe(true)
  const inner = span.slice(fence.length, span.length - fence.length)
  // No run of exactly the fence's length inside: the span cannot close early.
  expect([...inner.matchAll(/`+/g)].every(([run]) => run.length !== fence.length)).toBe(true)
  const shown = /^ .* $/.test(inner) && inner.trim() !== '' ? inner.slice(1, -1) : inner
  // GFM's table parser then turns `\|` into `|`.
  return shown.replace(/\\\|/g, '|')
}

describe('escapeMarkdownCell', () => {
  it('puts the text whole into one code span, which shows it as it was, on one line', () => {
    for (const text of ['www.evil.example', '@acme/security', '#12', '`tick` ``two``', ' spaced ', '<b>x</b>', 'a|b'])
      expect(codeSpanText(escapeMarkdownCell(text))).toBe(text)
    expect(escapeMarkdownCell('a\nb')).toBe('`a\\nb`')
    expect(escapeMarkdownCell('')).toBe('')
  })

  it('keeps a table row whole: no pipe left unescaped, however many backslashes come before it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('|', '\\', '`', ' ', 'a', '\n') }), (text) => {
        const cell = escapeMarkdownCell(text)
        // GFM's table scanner: `\x` is one escaped character; any other `|` ends the cell.
        expect(cell.match(/\\.|\|/g)?.filter((token) => token === '|') ?? []).toEqual([])
        expect(cell).not.toContain('\n')
      }),
    )
  })

  it('is a code span for any text: it opens and closes with the same fence, and nothing sits outside it', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const cell = escapeMarkdownCell(text)
        if (text === '') expect(cell).toBe('')
        else expect(codeSpanText(cell).length).toBeGreaterThan(0)
      }),
    )
  })

  it('gives the form a secret takes inside it', () => {
    expect(escapeMarkdownCell('token pa|ss')).toContain(codeSpanContent('pa|ss'))
  })
})

describe('codeBlock', () => {
  it('keeps the lines, and a fence longer than any backtick run inside', () => {
    const block = codeBlock('one\n```\ntwo ````` three\u001b')
    const lines = block.split('\n')
    expect(lines[0]).toBe('``````')
    expect(lines.at(-1)).toBe('``````')
    expect(lines.slice(1, -1)).toEqual(['one', '```', 'two ````` three\\u001b'])
  })
})

describe('cutText', () => {
  it('cuts to the length, says so, and never splits a surrogate pair', () => {
    expect(cutText('short', 10)).toBe('short')
    const cut = cutText('x'.repeat(20) + '😀'.repeat(10), 30)
    expect(cut.length).toBeLessThanOrEqual(30)
    expect(cut.endsWith(' … (cut)')).toBe(true)
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})

describe('runLink', () => {
  it("links the run's own http(s) URL, and nothing else", () => {
    expect(runLink('the run', 'https://github.com/acme/c/actions/runs/1')).toBe(
      '[the run](<https://github.com/acme/c/actions/runs/1>)',
    )
    expect(runLink('x', 'javascript:alert(1)')).toBeUndefined()
    expect(runLink('x', 'not a url')).toBeUndefined()
    expect(runLink('x', undefined)).toBeUndefined()
    expect(runLink('x', 'https://h.example/a>b c')).toBe('[x](<https://h.example/a%3Eb%20c>)')
  })
})
