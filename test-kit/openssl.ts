import { execFileSync } from 'node:child_process'
import type { KeyPair } from './pki.ts'
import { keyPem } from './pki.ts'

/**
 * Keys encrypted the legacy ways that OpenSSL 3, and so Node, can no longer read: made by the openssl
 * command with its legacy provider, as node:crypto cannot make them. Undefined where there is no
 * openssl command or no legacy provider, so that the tests that need them are skipped, not failed.
 */

export type LegacyEncryption = 'PKCS#8 PBE-MD5-DES' | 'traditional DES-CBC'

const LEGACY_PROVIDERS = ['-provider', 'legacy', '-provider', 'default']

export function legacyEncryptedKey(key: KeyPair, encryption: LegacyEncryption, passphrase: string): string | undefined {
  const args =
    encryption === 'PKCS#8 PBE-MD5-DES'
      ? ['pkcs8', '-topk8', '-v1', 'PBE-MD5-DES']
      : [key.kind === 'rsa' ? 'rsa' : 'ec', '-des', ...(key.kind === 'rsa' ? ['-traditional'] : [])]
  try {
    // The key goes through standard input and the passphrase through the environment, never argv.
    return execFileSync('openssl', [...args, ...LEGACY_PROVIDERS, '-passout', 'env:LEGACY_KEY_PASSPHRASE'], {
      input: keyPem(key, 'pkcs8'),
      env: { ...process.env, LEGACY_KEY_PASSPHRASE: passphrase },
      stdio: ['pipe', 'pipe', 'ignore'],
      encoding: 'utf8',
    })
  } catch {
    return undefined
  }
}
