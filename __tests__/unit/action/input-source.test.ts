import { afterEach, describe, expect, it, vi } from 'vitest'
import { actionInputs, trimmedInputs } from '../../../src/action/input-source.ts'
import { inputSource } from '../fakes.ts'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('actionInputs', () => {
  it("reads an input as the runner passes it (INPUT_<NAME>), spaces kept, and the process's environment", () => {
    vi.stubEnv('INPUT_PRIVATE-KEY-PASSPHRASE', '  pass phrase  ')
    vi.stubEnv('CLOUDFLARE_ACCOUNT_ID', 'abc')
    const source = actionInputs()
    expect(source.input('private-key-passphrase')).toBe('  pass phrase  ')
    expect(source.input('never-given')).toBe('')
    expect(source.env.CLOUDFLARE_ACCOUNT_ID).toBe('abc')
  })
})

describe('trimmedInputs', () => {
  it('trims spaces and line breaks at either end, and nothing inside', () => {
    const read = trimmedInputs(inputSource({ 'account-id': ' \n\tabc def\r\n ' }))
    expect(read('account-id')).toBe('abc def')
    expect(read('missing')).toBe('')
  })

  it('leaves the source itself untrimmed', () => {
    const source = inputSource({ 'private-key-passphrase': ' x ' })
    trimmedInputs(source)('private-key-passphrase')
    expect(source.input('private-key-passphrase')).toBe(' x ')
  })
})
