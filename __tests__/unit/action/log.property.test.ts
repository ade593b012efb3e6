import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_LINE_BYTES, log, type Log } from '../../../src/action/log.ts'
import { registerSecret } from '../../../src/action/secrets.ts'

/**
 * Properties of the log sink: whatever text it is given, what reaches standard output is one line
 * per message, no line holds the runner's older command form (`##[name]`) anywhere, no line but the
 * sink's own annotation or debug command starts (after white space) with `::`, no line holds a
 * Unicode format character (bidirectional controls among them), and no line is over 4 KB.
 */

let written: string[] = []
beforeEach(() => {
  written = []
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
})
afterEach(() => {
  vi.restoreAllMocks()
  process.exitCode = undefined
})

/** Pieces the runner reacts to, among arbitrary text. */
const commandLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('##[', '#', '[', ']', '::', ':', 'warning', 'add-mask', 'set-env name=X;', 'error', '%'),
      fc.constantFrom('\n', '\r', '\r\n', '\u2028', '\u0085', ' ', '\t', '\u00a0', '\u180e', '\u3000', '\ufeff'),
      // Format characters: bidirectional controls, zero widths, a tag character.
      fc.constantFrom('\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'),
      fc.constantFrom('\u200b', '\u200e', '\u200f', '\u061c', '\u00ad', '\u2060', '\u{e0041}'),
      fc.string({ unit: 'binary', maxLength: 6 }),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''))
const anyText = fc.oneof(commandLike, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))

const LEVELS: (keyof Log)[] = ['info', 'debug', 'notice', 'warning', 'fail']
/** What each level starts its line with: its own command, which the runner is meant to read. */
const OWN_PREFIX: Record<keyof Log, string> = {
  info: '',
  debug: '::debug::',
  notice: '::notice::',
  warning: '::warning::',
  fail: '::error::',
}

function linesOf(level: keyof Log, message: string): string[] {
  written = []
  log[level](message)
  return written
    .join('')
    .split(/\r\n|\r|\n/)
    .slice(0, -1)
}

describe('the log sink', () => {
  it('forms no runner command from any text, on one line of at most 4 KB', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...LEVELS), (message, level) => {
        const lines = linesOf(level, message)
        expect(lines).toHaveLength(1)
        const line = lines[0] ?? ''
        expect(line).not.toContain('##[')
        expect(line.startsWith(OWN_PREFIX[level])).toBe(true)
        expect(
          line
            .slice(OWN_PREFIX[level].length)
            .replace(/^[\s\u180e]*/u, '')
            .startsWith('::'),
        ).toBe(false)
        expect(Buffer.byteLength(line)).toBeLessThanOrEqual(4096)
        // No format character (bidirectional controls and the like) reaches the log to reorder it.
        expect(line).not.toMatch(/\p{Cf}/u)
      }),
    )
  })

  it('cuts a long line to the limit, saying how much was left out', () => {
    const [line = ''] = linesOf('warning', `${'%'.repeat(3000)}${'é'.repeat(5000)}`)
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES + '::warning::'.length)
    expect(line).toMatch(/ … \(line cut: \d+ more characters\)$/)
  })

  it('never cuts inside a secret, so that no part of it escapes masking', () => {
    const secret = 'Zq8vR2mW9xL4pN7sK1dF6hJ3gT5yB0cE-sink-secret'
    registerSecret(secret)
    fc.assert(
      fc.property(fc.integer({ min: 3900, max: 4100 }), (at) => {
        const [line = ''] = linesOf('info', `${'a'.repeat(at)}${secret}${'b'.repeat(5000)}`)
        const kept = line.replace(/ … \(line cut: \d+ more characters\)$/, '')
        for (let length = 1; length < secret.length; length++) {
          expect(kept.endsWith(secret.slice(0, length))).toBe(false)
        }
      }),
    )
  })

  it('shows the older command form and a leading :: as text', () => {
    expect(linesOf('info', 'id ##[warning]x')).toEqual(['id #\\u0023[warning]x'])
    expect(linesOf('info', ' ::warning::x')).toEqual([' \\u003a:warning::x'])
  })
})
