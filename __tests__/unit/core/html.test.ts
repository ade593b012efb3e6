import { describe, expect, it } from 'vitest'
import { escapeForSummary } from '../../../src/core/html.ts'

describe('escapeForSummary', () => {
  it("escapes HTML's special characters and Markdown's table bar", () => {
    expect(escapeForSummary(`<b>"Tom" & 'Jerry'</b> | x`)).toBe(
      '&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt; &#124; x',
    )
  })

  it('keeps the text on one line: a line break cannot end the HTML block', () => {
    const escaped = escapeForSummary('first\n\nsecond')
    expect(escaped).not.toMatch(/[\r\n]/)
    expect(escaped).toBe('first\\n\\nsecond')
  })

  it('leaves plain text as it is', () => {
    expect(escapeForSummary('client-2025 (CN=api.example.com)')).toBe('client-2025 (CN=api.example.com)')
  })
})
