import { createPrivateKey, type KeyObject } from 'node:crypto'
import { InputError } from '../core/errors.ts'
import { isPrivateKeyLabel, scanPem, wrongKindOfPem } from './pem.ts'
import { describePemInput, type PemInput } from './spec.ts'
import { capitalise } from '../core/text.ts'

/**
 * Reads the private key input: one PEM key, decrypted with the passphrase when it is encrypted. A
 * passphrase given for a key that needs none is a warning, added to `warnings`.
 */
export function parsePrivateKey(input: PemInput, passphrase: string | undefined, warnings: string[]): KeyObject {
  const where = describePemInput(input)
  const scan = scanPem(input.text)
  const keyBlocks = scan.blocks.filter((block) => isPrivateKeyLabel(block.label))
  if (keyBlocks.length === 0) {
    const what =
      wrongKindOfPem('private key', scan, input.text, input.path) ??
      "is not a PEM private key (expected a 'PRIVATE KEY', 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' block)"
    throw new InputError(`${capitalise(where)} ${what}.`)
  }
  if (keyBlocks.length > 1) {
    throw new InputError(
      `${capitalise(where)} holds ${keyBlocks.length} private keys: give only the key of the client certificate.`,
    )
  }
  const block = keyBlocks[0]?.text ?? ''
  const encrypted = block.includes('ENCRYPTED')
  if (encrypted && !passphrase) {
    throw new InputError(
      `${capitalise(where)} is encrypted: set private-key-passphrase: \${{ secrets.CLIENT_KEY_PASSPHRASE }} so it can be decrypted here (it is sent to Cloudflare unencrypted, over TLS).`,
    )
  }
  if (!encrypted && passphrase) {
    warnings.push(`Input 'private-key-passphrase' is set but ${where} is not encrypted: the passphrase is not used.`)
  }
  if (encrypted && passphrase) return decryptPrivateKey(block, passphrase, where)
  try {
    return createPrivateKey({ key: block, format: 'pem' })
  } catch {
    throw new InputError(
      `${capitalise(where)} is not a valid private key: its base64 body is corrupted or truncated. Export the key again.`,
    )
  }
}

/**
 * Tries the passphrase as given first, as spaces at either end may be part of it; then trimmed, as a
 * secret stored with a final line break is common and was trimmed before.
 */
function decryptPrivateKey(block: string, passphrase: string, where: string): KeyObject {
  for (const candidate of new Set([passphrase, passphrase.trim()])) {
    try {
      return createPrivateKey({ key: block, format: 'pem', passphrase: candidate })
    } catch (error) {
      if (isUnsupportedAlgorithm(error)) {
        throw new InputError(
          `${capitalise(where)} is encrypted with ${encryptionScheme(block)}, which OpenSSL 3 no longer supports: it cannot be decrypted here, whatever the passphrase. Re-encrypt it with AES: openssl pkey -in old.key -aes256 -out new.key (OpenSSL 3 reads the old key with -provider legacy -provider default added), and give the new key instead.`,
        )
      }
    }
  }
  throw new InputError(
    `${capitalise(where)} could not be decrypted with private-key-passphrase: the passphrase is wrong, or the key is corrupted.`,
  )
}

/** OpenSSL 3 moved DES, RC2, RC4 and the PBES1 schemes to its legacy provider, which Node does not load. */
const isUnsupportedAlgorithm = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ERR_OSSL_EVP_UNSUPPORTED'

/** The cipher a traditional encrypted key names in its DEK-Info header; a PKCS#8 key names it in DER only. */
function encryptionScheme(block: string): string {
  const dekInfo = block.split('\n').find((line) => line.startsWith('DEK-Info: '))
  const cipher = dekInfo && /^DEK-Info: ([A-Za-z0-9-]{1,40}),/.exec(dekInfo)?.[1]
  return cipher || 'a legacy PKCS#8 scheme (such as PBE-MD5-DES)'
}
