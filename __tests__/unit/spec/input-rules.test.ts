import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { checkInputRules, fieldsSetByInputs } from '../../../src/spec/input-rules.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'
import { inputSource } from '../fakes.ts'

const CLIENT = { ca: false, allowMissingKey: false, replace: false, store: 'mtls' as const }

function refusal(inputs: Record<string, string>, given = CLIENT): string {
  try {
    checkInputRules(inputSource(inputs), given)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('checkInputRules accepted the inputs')
}

describe('fieldsSetByInputs', () => {
  it('names each field by the input that set it, blanks not counted, booleans left to their values', () => {
    const source = inputSource({
      certificate: ' PEM ',
      'private-key-path': 'key.pem',
      'private-key-passphrase': '   ',
      binding: 'PAYMENTS_CERT',
      'wrangler-config': '\n',
      ca: 'true',
      replace: 'true',
    })
    expect(fieldsSetByInputs(source)).toEqual({
      certificate: 'certificate',
      'private-key-path': 'private-key-path',
      wrangler: 'binding',
    })
  })
})

describe('checkInputRules', () => {
  it('passes inputs that keep every rule', () => {
    expect(() => {
      checkInputRules(inputSource({ 'private-key': 'KEY', name: 'n' }), { ...CLIENT, replace: true })
    }).not.toThrow()
    expect(() => {
      checkInputRules(inputSource({ 'zone-id': ZONE_ID, hostnames: 'a.example.com' }), { ...CLIENT, ca: true })
    }).not.toThrow()
  })

  it('says one broken rule as it is, naming the input', () => {
    expect(refusal({ 'private-key': 'KEY' }, { ...CLIENT, ca: true })).toMatch(
      /^Input 'private-key' is set with ca: true: a CA certificate is uploaded without its private key\. Remove it/,
    )
    expect(refusal({ hostnames: 'a.example.com' }, { ...CLIENT, ca: true })).toMatch(
      /^Input 'hostnames' needs zone-id, which is not set: .*If the workflow sets it from an expression/,
    )
  })

  it('lists every broken rule in one error', () => {
    const message = refusal({ 'private-key-passphrase': 'secret', 'zone-id': ZONE_ID }, { ...CLIENT, replace: true })
    expect(message).toMatch(
      /^The inputs have 4 problems, so nothing was sent: \(1\) Input 'private-key-passphrase' is set but no private key is/,
    )
    expect(message).toMatch(/\(2\) Input 'private-key' is empty or not set, and ca: false/)
    expect(message).toMatch(/\(3\) Input 'replace' needs name/)
    expect(message).toMatch(/\(4\) Input 'zone-id' is only for a CA certificate/)
  })
})
