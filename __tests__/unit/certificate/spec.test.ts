import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { KeyMismatchError, describePemInput } from '../../../src/certificate/spec.ts'

describe('describePemInput', () => {
  it('names an input by its name, and a file by the input and the path as written', () => {
    expect(describePemInput({ text: '', input: 'certificate' })).toBe("input 'certificate'")
    expect(describePemInput({ text: '', input: 'certificate-path', path: 'certs/client.pem' })).toBe(
      "certificate-path 'certs/client.pem'",
    )
  })
})

describe('KeyMismatchError', () => {
  it('is an InputError, by its own name', () => {
    const error = new KeyMismatchError('the key matches no certificate')
    expect(error).toBeInstanceOf(InputError)
    expect(error.name).toBe('KeyMismatchError')
    expect(error.message).toBe('the key matches no certificate')
  })
})
