import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { htmlTitle } from '../../../../src/cloudflare/envelope.ts'
import { resultOf } from '../../fakes.ts'
import { ApiError } from '../../../../src/cloudflare/errors.ts'
import type { HttpResponse } from '../../../../src/cloudflare/http.ts'
import { retryAfterMs } from '../../../../src/cloudflare/envelope.ts'
import { escapeForSummary } from '../../../../src/core/html.ts'
import { printable } from '../../../../src/core/text.ts'

/**
 * Properties of the parsers that read Cloudflare's answers (or whatever stands in its place), and of
 * the escaping every logged or summarised value goes through: whatever comes back, the action fails
 * with its own error type, never a crash, and nothing it prints can start a line or render as Markdown.
 */

const NOW = Date.parse('2026-11-26T12:00:00Z')
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u

const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))
const json = fc.jsonValue().map((value) => JSON.stringify(value))
/** Envelopes that are nearly Cloudflare's: the fields it has, with values of any type. */
const envelopeLike = fc
  .record(
    {
      success: fc.oneof(fc.boolean(), fc.jsonValue()),
      errors: fc.oneof(
        fc.array(
          fc.record(
            { code: fc.oneof(fc.integer(), fc.jsonValue()), message: fc.oneof(anyText, fc.jsonValue()) },
            { requiredKeys: [] },
          ),
        ),
        fc.jsonValue(),
      ),
      result: fc.jsonValue(),
    },
    { requiredKeys: [] },
  )
  .map((value) => JSON.stringify(value))

const response = fc.record({
  status: fc.integer({ min: 100, max: 599 }),
  headers: fc.dictionary(
    fc.constantFrom('content-type', 'retry-after', 'retry-after-ms', 'x-other'),
    fc.oneof(anyText, fc.constant(undefined)),
  ),
  body: fc.oneof(
    anyText,
    json,
    envelopeLike,
    anyText.map((text) => `<html><title>${text}</title>`),
  ),
}) as fc.Arbitrary<HttpResponse>

describe('answerOf on any answer', () => {
  it('returns a result or throws an ApiError that says the status, never anything else', () => {
    fc.assert(
      fc.property(response, fc.constantFrom('GET', 'POST', 'DELETE'), (answer, method) => {
        try {
          resultOf(answer, NOW, method)
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError)
          const apiError = error as ApiError
          expect(apiError.message.startsWith(`HTTP ${answer.status}`)).toBe(true)
          expect(apiError.status).toBe(answer.status)
          expect(typeof apiError.retryable).toBe('boolean')
          if (apiError.retryAfterMs !== undefined) expect(Number.isFinite(apiError.retryAfterMs)).toBe(true)
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('only succeeds on a 2xx envelope that says success: true', () => {
    fc.assert(
      fc.property(response, (answer) => {
        try {
          resultOf(answer, NOW, 'GET')
        } catch {
          return
        }
        expect(answer.status).toBeGreaterThanOrEqual(200)
        expect(answer.status).toBeLessThan(300)
        expect((JSON.parse(answer.body) as { success: unknown }).success).toBe(true)
      }),
    )
  })
})

describe('retryAfterMs on any header', () => {
  it('gives nothing, or a finite wait of zero or more milliseconds', () => {
    const header = fc.oneof(
      anyText,
      fc.stringMatching(/^\d{1,400}(\.\d{1,5})?$/),
      fc.date().map((d) => d.toUTCString()),
    )
    fc.assert(
      fc.property(fc.option(header, { nil: undefined }), fc.option(header, { nil: undefined }), (seconds, ms) => {
        const wait = retryAfterMs({ 'retry-after': seconds, 'retry-after-ms': ms }, NOW)
        if (wait !== undefined) {
          expect(Number.isFinite(wait)).toBe(true)
          expect(wait).toBeGreaterThanOrEqual(0)
        }
      }),
    )
  })

  it('refuses a wait too large to be a number', () => {
    expect(retryAfterMs({ 'retry-after-ms': '9'.repeat(400) }, NOW)).toBeUndefined()
    expect(retryAfterMs({ 'retry-after': '9'.repeat(400) }, NOW)).toBeUndefined()
  })
})

describe('htmlTitle on any body', () => {
  it('gives nothing, or one line of at most 120 characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          anyText.map((text) => `<title>${text}`),
        ),
        (body) => {
          const title = htmlTitle(body)
          if (title === undefined) return
          expect(title.length).toBeLessThanOrEqual(120)
          expect(title).toBe(title.trim())
          expect(title).not.toMatch(/[\r\n]/)
        },
      ),
    )
  })
})

describe('the escaping of logged and summarised text', () => {
  it('leaves no control character, so no line break the runner would split on', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(printable(text)).not.toMatch(CONTROL)
        expect(escapeForSummary(text)).not.toMatch(CONTROL)
        // Markup characters only as the entities the escaping writes.
        expect(escapeForSummary(text)).not.toMatch(/[<>"'|]|&(?!(amp|lt|gt|quot|#39|#124);)/)
      }),
    )
  })

  it("changes nothing in text without control or format characters, or the runner's old command form", () => {
    fc.assert(
      fc.property(
        anyText.filter((text) => !CONTROL.test(text) && !text.includes('##[')),
        (text) => {
          expect(printable(text)).toBe(text)
        },
      ),
    )
  })
})
