import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { parsePrivateKey } from '../../../src/certificate/private-key.ts'
import { PASSPHRASE } from '../../../test-kit/fixtures.ts'
import { generateKey, keyPem } from '../../../test-kit/pki.ts'

const KEY = generateKey('ec')
const publicOf = (pem: string, passphrase?: string, warnings: string[] = []) =>
  parsePrivateKey({ text: pem, input: 'private-key' }, passphrase, warnings)
    .export({ type: 'pkcs8', format: 'der' })
    .toString('base64')
const EXPECTED = KEY.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')

const refusal = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('the key was accepted')
}

describe('parsePrivateKey', () => {
  it('reads a PKCS#8 or SEC1 key, without warnings', () => {
    const warnings: string[] = []
    expect(publicOf(keyPem(KEY, 'pkcs8'), undefined, warnings)).toBe(EXPECTED)
    expect(publicOf(keyPem(KEY, 'sec1'), undefined, warnings)).toBe(EXPECTED)
    expect(warnings).toEqual([])
  })

  it('decrypts an encrypted key with the passphrase as given, or trimmed', () => {
    const encrypted = keyPem(KEY, 'pkcs8', { passphrase: PASSPHRASE })
    expect(publicOf(encrypted, PASSPHRASE)).toBe(EXPECTED)
    expect(publicOf(encrypted, `${PASSPHRASE}\n`)).toBe(EXPECTED)
    const spaced = keyPem(KEY, 'pkcs8', { passphrase: ` ${PASSPHRASE} ` })
    expect(publicOf(spaced, ` ${PASSPHRASE} `)).toBe(EXPECTED)
  })

  it('warns that a passphrase for a key that is not encrypted is not used', () => {
    const warnings: string[] = []
    publicOf(keyPem(KEY, 'pkcs8'), PASSPHRASE, warnings)
    expect(warnings).toEqual([
      "Input 'private-key-passphrase' is set but input 'private-key' is not encrypted: the passphrase is not used.",
    ])
  })

  it('refuses an encrypted key without a passphrase, or with the wrong one, naming the input', () => {
    const encrypted = keyPem(KEY, 'pkcs8', { passphrase: PASSPHRASE })
    expect(refusal(() => publicOf(encrypted))).toMatch(
      /^Input 'private-key' is encrypted: set private-key-passphrase: \$\{\{ secrets\.CLIENT_KEY_PASSPHRASE \}\}/,
    )
    expect(
      refusal(() =>
        parsePrivateKey({ text: encrypted, input: 'private-key-path', path: 'keys/client.key' }, 'wrong', []),
      ),
    ).toBe(
      "Private-key-path 'keys/client.key' could not be decrypted with private-key-passphrase: the passphrase is wrong, or the key is corrupted.",
    )
  })

  it('refuses text without a key, two keys, and a corrupted body', () => {
    expect(refusal(() => publicOf('just text'))).toMatch(/^Input 'private-key' /)
    const pem = keyPem(KEY, 'pkcs8')
    expect(refusal(() => publicOf(`${pem}${keyPem(generateKey('ec'), 'pkcs8')}`))).toBe(
      "Input 'private-key' holds 2 private keys: give only the key of the client certificate.",
    )
    const lines = pem.trimEnd().split('\n')
    const corrupted = [lines[0], 'AAAA', lines.at(-1)].join('\n')
    expect(refusal(() => publicOf(corrupted))).toBe(
      "Input 'private-key' is not a valid private key: its base64 body is corrupted or truncated. Export the key again.",
    )
  })
})
