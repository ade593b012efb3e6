import { describe, expect, it } from 'vitest'
import {
  InputError,
  OperationError,
  errorCode,
  errorMessage,
  failureMessage,
  planBroken,
  unexpectedStack,
} from '../../../src/core/errors.ts'

describe('errorMessage', () => {
  it("is an Error's message, or anything else as text", () => {
    expect(errorMessage(new Error('boom'))).toBe('boom')
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(42)).toBe('42')
    expect(errorMessage(undefined)).toBe('undefined')
  })
})

describe('errorCode', () => {
  it("is the error's own code, or that of its cause, up to two causes deep", () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe('ENOENT')
    const tls = Object.assign(new Error('tls'), { code: 'CERT_HAS_EXPIRED' })
    expect(errorCode(new Error('fetch failed', { cause: tls }))).toBe('CERT_HAS_EXPIRED')
    expect(errorCode(new Error('a', { cause: new Error('b', { cause: tls }) }))).toBe('CERT_HAS_EXPIRED')
    expect(errorCode(new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: tls }) }) }))).toBe('')
  })

  it('is empty for a code that is not text, an empty code, or no error at all', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 7 }))).toBe('')
    expect(errorCode(Object.assign(new Error('x'), { code: '' }))).toBe('')
    expect(errorCode(null)).toBe('')
    expect(errorCode('ENOENT')).toBe('')
  })
})

describe('failureMessage', () => {
  it("gives the action's own errors as they are, an operation's as a sentence, others as unexpected", () => {
    expect(failureMessage(new InputError("Input 'x' is empty."))).toBe("Input 'x' is empty.")
    expect(failureMessage(new OperationError('The upload failed'))).toBe('The upload failed.')
    expect(failureMessage(new TypeError('x is not a function'))).toBe('Unexpected error: x is not a function')
    expect(failureMessage('thrown text')).toBe('Unexpected error: thrown text')
  })
})

describe('unexpectedStack', () => {
  it("gives an unexpected error's stack line by line, and nothing for the action's own errors", () => {
    const error = new Error('boom')
    error.stack = 'Error: boom\n    at here (file.ts:1:1)'
    expect(unexpectedStack(error)).toEqual(['Error: boom', '    at here (file.ts:1:1)'])
    expect(unexpectedStack(new InputError('x'))).toEqual([])
    expect(unexpectedStack(new OperationError('x'))).toEqual([])
    expect(unexpectedStack('text')).toEqual([])
  })

  it('falls back to the message when there is no stack', () => {
    const error = new Error('no stack')
    Object.defineProperty(error, 'stack', { value: undefined })
    expect(unexpectedStack(error)).toEqual(['no stack'])
  })
})

describe('the error classes and planBroken', () => {
  it('name themselves, and planBroken says it is a bug', () => {
    expect(new InputError('x').name).toBe('InputError')
    expect(new OperationError('x').name).toBe('OperationError')
    expect(planBroken('a target before its certificate').message).toBe(
      'The plan broke its own order (a target before its certificate): a bug in the action',
    )
  })
})
