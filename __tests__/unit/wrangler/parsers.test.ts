import { describe, expect, it } from 'vitest'
import { loadWranglerParsers, wranglerParsers } from '../../../src/wrangler/parsers.ts'

/** The Wrangler parsers, loaded on demand: a use before the load is the code's mistake, said plainly. */
describe('loadWranglerParsers and wranglerParsers', () => {
  it('refuses a use before the load, then gives the parsers, loaded once', async () => {
    expect(() => wranglerParsers()).toThrow('The Wrangler parsers were used before loadWranglerParsers() loaded them.')
    await loadWranglerParsers()
    const parsers = wranglerParsers()
    expect(parsers.readToml('[[mtls_certificates]]\nbinding = "A"\ncertificate_id = "x"\n').entries).toHaveLength(1)
    expect(parsers.applyEdits('{"a":1}', [{ offset: 5, length: 1, content: '2' }])).toBe('{"a":2}')
    await loadWranglerParsers()
    expect(wranglerParsers()).toBe(parsers)
  })
})
