import { OperationError, errorMessage } from '../../core/errors.ts'

/**
 * A call that carries a private key: whatever it throws is checked for the key before it goes on, so
 * that an answer echoing the key (or a line of it) never reaches a log or an error message.
 */
export async function withoutKey<T>(privateKey: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const message = errorMessage(error)
    const redacted = redactKey(message, privateKey)
    if (redacted === message) throw error
    throw new OperationError(redacted)
  }
}

/** The text with the key, and each long line of its body, replaced by `[redacted]`. */
export function redactKey(text: string, privateKey: string): string {
  const lines = privateKey
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => !line.startsWith('-----'))
  const pieces = [privateKey.trim(), lines.join(''), ...lines]
    .filter((piece) => piece.length >= 16)
    .sort((a, b) => b.length - a.length)
  return pieces.reduce((result, piece) => result.split(piece).join('[redacted]'), text)
}
