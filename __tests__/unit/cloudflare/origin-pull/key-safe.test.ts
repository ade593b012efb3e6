import { describe, expect, it } from 'vitest'
import { redactKey, withoutKey } from '../../../../src/cloudflare/origin-pull/key-safe.ts'
import { OperationError } from '../../../../src/core/errors.ts'
import { makeClient } from '../../../../test-kit/fixtures.ts'

describe('keys kept out of errors', () => {
  const { keyPem } = makeClient()
  const body = keyPem.split('\n')[1] ?? ''

  it('redacts the key, its body joined, and each line of it', () => {
    expect(redactKey(`echo: ${keyPem}`, keyPem)).not.toContain(body)
    expect(redactKey(`line: ${body}`, keyPem)).toBe('line: [redacted]')
    expect(redactKey('nothing of it', keyPem)).toBe('nothing of it')
  })

  it('passes other errors on as they are, and replaces one that holds the key', async () => {
    const plain = new Error('plain')
    await expect(withoutKey(keyPem, () => Promise.reject(plain))).rejects.toBe(plain)
    const leaking = withoutKey(keyPem, () => Promise.reject(new OperationError(`Could not upload: ${body}`)))
    await expect(leaking).rejects.toThrow('Could not upload: [redacted]')
    await expect(withoutKey(keyPem, () => Promise.resolve(1))).resolves.toBe(1)
  })
})
