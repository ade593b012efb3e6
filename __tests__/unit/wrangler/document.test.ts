import { describe, expect, it } from 'vitest'
import {
  ConfigSyntaxError,
  DuplicateKeyError,
  eolOf,
  isCertificatesPath,
  positionOf,
  sectionOf,
} from '../../../src/wrangler/document.ts'

describe('positionOf', () => {
  it('gives the 1-based line and column of an offset', () => {
    const text = 'ab\ncde\nf'
    expect(positionOf(text, 0)).toEqual({ line: 1, column: 1 })
    expect(positionOf(text, 4)).toEqual({ line: 2, column: 2 })
    expect(positionOf(text, 7)).toEqual({ line: 3, column: 1 })
  })
})

describe('isCertificatesPath', () => {
  it('names mtls_certificates at the top level or in one environment, nowhere else', () => {
    expect(isCertificatesPath(['mtls_certificates'])).toBe(true)
    expect(isCertificatesPath(['env', 'production', 'mtls_certificates'])).toBe(true)
    expect(isCertificatesPath(['env', 0, 'mtls_certificates'])).toBe(false)
    expect(isCertificatesPath(['vars', 'mtls_certificates'])).toBe(false)
    expect(isCertificatesPath(['env', 'a', 'b', 'mtls_certificates'])).toBe(false)
    expect(isCertificatesPath([])).toBe(false)
  })
})

describe('sectionOf', () => {
  it('says top level, or the environment', () => {
    expect(sectionOf(['mtls_certificates', 0])).toBe('top level')
    expect(sectionOf(['env', 'staging', 'mtls_certificates', 1])).toBe('env.staging')
  })
})

describe('eolOf', () => {
  it("is the first line's ending", () => {
    expect(eolOf('a\r\nb\n')).toBe('\r\n')
    expect(eolOf('a\nb\r\n')).toBe('\n')
    expect(eolOf('one line')).toBe('\n')
    expect(eolOf('\nx')).toBe('\n')
  })
})

describe('the errors', () => {
  it('carry the position, and for a key written twice, the key, its path and its first line', () => {
    const syntax = new ConfigSyntaxError('close brace expected', 3, 7)
    expect([syntax.name, syntax.message, syntax.line, syntax.column]).toEqual([
      'ConfigSyntaxError',
      'close brace expected',
      3,
      7,
    ])
    const duplicate = new DuplicateKeyError('certificate_id', ['mtls_certificates', 0, 'certificate_id'], 2, 4, 5)
    expect(duplicate).toBeInstanceOf(ConfigSyntaxError)
    expect([duplicate.name, duplicate.message, duplicate.firstLine, duplicate.line, duplicate.column]).toEqual([
      'DuplicateKeyError',
      '"certificate_id" is written twice',
      2,
      4,
      5,
    ])
    expect(duplicate.path).toEqual(['mtls_certificates', 0, 'certificate_id'])
  })
})
