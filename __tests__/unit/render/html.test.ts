import { describe, expect, it } from 'vitest'
import type { Section } from '../../../src/core/report.ts'
import { cellHtml, sectionsHtml } from '../../../src/render/html.ts'

const HOSTILE = '<script>x</script> & |'
const ESCAPED = '&lt;script&gt;x&lt;/script&gt; &amp; &#124;'

describe('cellHtml', () => {
  it('escapes plain text, code and a verb, and puts code in <code>', () => {
    expect(cellHtml(HOSTILE)).toBe(ESCAPED)
    expect(cellHtml({ code: HOSTILE })).toBe(`<code>${ESCAPED}</code>`)
    expect(cellHtml({ verb: 'attach', done: false, rest: ` ${HOSTILE}` })).toBe(`would attach ${ESCAPED}`)
    expect(cellHtml({ verb: 'write', done: true, form: 'past' })).toBe('wrote')
  })
})

const zone = (rows: string[][], paragraph?: string): Section => ({
  key: 'api-shield:z1',
  heading: ['Hostnames in ', { code: 'z1' }],
  table: { columns: ['Hostname', 'Status'], rows },
  ...(paragraph ? { paragraphs: [[paragraph]] } : {}),
})

describe('sectionsHtml', () => {
  it('renders a heading, a table of escaped cells (a cell of several pieces joined) and paragraphs', () => {
    const html = sectionsHtml([
      {
        heading: ['Other certificates named ', HOSTILE],
        table: { columns: ['ID', HOSTILE], rows: [[{ code: 'a' }, [{ verb: 'delete', done: true }, ' now']]] },
        paragraphs: [['One ', { code: 'b' }]],
      },
    ])
    expect(html).toEqual([
      `<h3>Other certificates named ${ESCAPED}</h3>\n<table>\n<tr><th>ID</th><th>${ESCAPED}</th></tr>\n<tr><td><code>a</code></td><td>deleted now</td></tr>\n</table>`,
      '<p>One <code>b</code></p>',
    ])
  })

  it('merges sections of one key into one table, rows in order, paragraphs kept', () => {
    const html = sectionsHtml([zone([['a', 'attached']]), zone([['b', 'detached']], 'After.')])
    expect(html).toHaveLength(2)
    expect(html[0]).toBe(
      '<h3>Hostnames in <code>z1</code></h3>\n<table>\n<tr><th>Hostname</th><th>Status</th></tr>\n<tr><td>a</td><td>attached</td></tr>\n<tr><td>b</td><td>detached</td></tr>\n</table>',
    )
    expect(html[1]).toBe('<p>After.</p>')
  })

  it('keeps sections without a key, or with different keys, apart', () => {
    const other = { ...zone([['c', 'x']]), key: 'api-shield:z2' }
    expect(sectionsHtml([zone([['a', 'x']]), other])).toHaveLength(2)
    const unkeyed: Section = { heading: ['A'] }
    expect(sectionsHtml([unkeyed, unkeyed])).toEqual(['<h3>A</h3>', '<h3>A</h3>'])
  })

  it('gives a merged section the table of a later one when the first had none', () => {
    const first: Section = { key: 'k', paragraphs: [['first']] }
    const html = sectionsHtml([first, { key: 'k', table: { columns: ['C'], rows: [['r']] } }])
    expect(html).toEqual(['<table>\n<tr><th>C</th></tr>\n<tr><td>r</td></tr>\n</table>', '<p>first</p>'])
  })

  it('does not change the sections it is given', () => {
    const a = zone([['a', 'x']])
    sectionsHtml([a, zone([['b', 'y']])])
    expect(a.table?.rows).toEqual([['a', 'x']])
  })
})
