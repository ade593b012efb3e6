import fc from 'fast-check'
import { expect } from 'vitest'
import { InputError } from '../../src/core/errors.ts'

/** Shared pieces of the property tests of input reading: any text, and the one kind of error bad input may give. */

/** Any string: UTF-16 code units, lone surrogates and controls included, and grapheme clusters. */
export const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))

/** What `run` throws, or undefined; anything but an InputError fails the property. */
export function inputErrorOf(run: () => unknown): InputError | undefined {
  try {
    run()
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
}
