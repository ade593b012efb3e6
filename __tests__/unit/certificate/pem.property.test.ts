import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { leafCertificate, leafFingerprint } from '../../../src/certificate/facts.ts'
import { isArmourLine, normalisePem, scanPem } from '../../../src/certificate/pem.ts'
import { clientChain } from '../../../test-kit/pki.ts'

/**
 * Properties of the PEM scanner, which reads user input and API answers alike: it never throws,
 * whatever the text; the blocks it gives are canonical; and the normalised text, which is what a
 * key input is masked as, holds every block it finds.
 */

const LABELS = [
  'CERTIFICATE',
  'X509 CERTIFICATE',
  'PRIVATE KEY',
  'EC PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'PUBLIC KEY',
]

/** Text made of the pieces a PEM scanner reacts to, mixed with arbitrary characters. */
const pemLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('-----BEGIN ', '-----END ', '-----', '-', ...LABELS, 'A', ' ', '\t', '\u00a0', '\uFEFF'),
      fc.constantFrom('\n', '\r\n', '\r', '\\n', '\\r\\n', '\\', 'MIIB', '==', 'Proc-Type: 4,ENCRYPTED'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((pieces) => pieces.join(''))

const anyText = fc.oneof(pemLike, fc.string({ unit: 'binary' }), fc.string())

const armour = (edge: 'BEGIN' | 'END', label: string): string => `-----${edge} ${label}-----`

describe('scanPem and normalisePem on any text', () => {
  it('never throw, and give canonical blocks', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const scan = scanPem(text)
        for (const block of scan.blocks) {
          const lines = block.text.split('\n')
          expect(lines[0]).toBe(armour('BEGIN', block.label))
          expect(lines.at(-1)).toBe(armour('END', block.label))
          for (const line of lines.slice(1, -1)) {
            expect(line).toBe(line.trim())
            expect(isArmourLine(line)).toBe(false)
            expect(line).not.toMatch(/[\r\n]|\\n/)
          }
        }
        if (scan.truncatedLabel !== undefined) expect(text).toContain(`-----BEGIN ${scan.truncatedLabel}-----`)
      }),
    )
  })

  it('normalising is idempotent, and scanning the normalised text finds the same', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const normalised = normalisePem(text)
        expect(normalisePem(normalised)).toBe(normalised)
        expect(scanPem(normalised)).toEqual(scanPem(text))
      }),
    )
  })

  it('the normalised text holds every block whole: masking it masks each block', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const normalised = normalisePem(text)
        for (const block of scanPem(text).blocks) expect(normalised).toContain(block.text)
      }),
    )
  })
})

describe('blocks in the forms users paste them', () => {
  const block = fc.record({
    label: fc.constantFrom(...LABELS),
    body: fc.array(fc.base64String({ minLength: 4, maxLength: 64 }), { minLength: 1, maxLength: 6 }),
  })
  /** Text around the blocks, without anything that could be read as armour or an escaped line break. */
  const noise = fc.string({ maxLength: 20 }).map((text) => text.replace(/[-\\]/g, ''))
  const form = fc.record({
    crlf: fc.boolean(),
    escapedLineBreaks: fc.boolean(),
    indent: fc.constantFrom('', '  ', '    ', '\t', ' \t '),
    trailingSpaces: fc.boolean(),
    byteOrderMark: fc.boolean(),
  })

  it('finds every block, whatever the line endings, indentation and escaping', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, block), { maxLength: 4 }), noise, form, (parts, tail, how) => {
        const canonical = parts.map(([, b]) => [armour('BEGIN', b.label), ...b.body, armour('END', b.label)].join('\n'))
        let text = [...parts.flatMap(([before], index) => [before, canonical[index] ?? '']), tail].join('\n')
        if (how.trailingSpaces) text = text.replace(/\n/g, '  \n')
        if (how.indent) text = text.replace(/^/gm, how.indent)
        if (how.crlf) text = text.replace(/\n/g, '\r\n')
        if (how.escapedLineBreaks) text = text.replace(/\r?\n/g, (lineBreak) => JSON.stringify(lineBreak).slice(1, -1))
        if (how.byteOrderMark) text = `\uFEFF${text}`

        expect(scanPem(text)).toEqual({
          blocks: parts.map(([, b], index) => ({ label: b.label, text: canonical[index] })),
        })
      }),
    )
  })
})

describe('leafCertificate on any listed chain', () => {
  const { client } = clientChain('ec')

  it('never throws: a certificate or undefined', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(() => leafFingerprint(text)).not.toThrow()
        expect(leafCertificate(`${text}\n${client.pem}`)).toBeDefined()
      }),
    )
  })
})

describe('the scan of a listed chain stays linear at the 8 MiB answer cap', () => {
  it.each([
    ['BEGIN lines without END', '-----BEGIN CERTIFICATE-----\n'],
    ['BEGIN and END of other labels', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n'],
  ])('%s', (_, unit) => {
    const text = unit.repeat(Math.floor((8 * 1024 * 1024) / unit.length))
    const started = performance.now()
    expect(leafFingerprint(text)).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(5_000)
  })
})
