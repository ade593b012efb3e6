import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeConfig, encodeConfig, hasWideBom } from '../../../src/wrangler/encoding.ts'

describe('decodeConfig and encodeConfig', () => {
  it('reads UTF-8 as text without the byte order mark, and keeps the mark apart', () => {
    expect(decodeConfig(Buffer.from('\uFEFFname = "zürich"\n'))).toEqual({
      bom: true,
      encoding: 'utf8',
      text: 'name = "zürich"\n',
    })
    expect(decodeConfig(Buffer.from('a = 1\n'))).toEqual({ bom: false, encoding: 'utf8', text: 'a = 1\n' })
  })

  it('reads a file that is not UTF-8 one character per byte', () => {
    expect(decodeConfig(Buffer.from([0x23, 0xfc, 0x0a]))).toEqual({ bom: false, encoding: 'latin1', text: '#\u00fc\n' })
  })

  it('gives back every file byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (body, bom) => {
        const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body)])
        const { text, ...encoding } = decodeConfig(bytes)
        expect(encodeConfig(text, encoding)).toEqual(bytes)
      }),
    )
  })

  it('knows the UTF-16 and UTF-32 marks that wrangler refuses', () => {
    expect(hasWideBom(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe(true)
    expect(hasWideBom(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toBe(true)
    expect(hasWideBom(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false)
  })
})
