import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isSeq, type Node } from 'yaml'
import { parseManifestYaml } from '../../../src/manifest/document.ts'
import { checkEntry } from '../../../src/manifest/entry.ts'
import type { ManifestContext } from '../../../src/manifest/sources.ts'
import { PASSPHRASE, makeClient, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, keyPem } from '../../../test-kit/pki.ts'

const client = makeClient('ec')
const ca = issueCertificate({ commonName: 'Entry CA', key: generateKey('ec'), ca: true })

/** Checks each entry of `certificates:` in order, sharing what they have seen, as read.ts does. */
function check(yaml: string, env: Record<string, string> = {}) {
  const workspace = makeWorkspace({ 'deploy/client.pem': client.client.pem, 'deploy/ca.pem': ca.pem })
  mkdirSync(join(workspace, 'deploy'), { recursive: true })
  const context: ManifestContext = {
    workspace,
    folder: join(workspace, 'deploy'),
    env,
    replace: true,
    now: new Date(),
    expiryWarningDays: 30,
  }
  const { root, problems } = parseManifestYaml(yaml, 'm.yml')
  const list = root?.get('certificates', true)
  if (!isSeq(list)) throw new Error('no certificates list')
  const seen = { names: new Map<string, number>(), bindings: new Map() }
  const entries = (list.items as Node[]).map((node, index) => checkEntry(node, index, context, problems, seen))
  return { entries, problems: problems.list }
}

describe('checkEntry', () => {
  it('gives the spec of a client certificate with its key from a variable, checked, replace from the step', () => {
    const { entries, problems } = check(
      'certificates:\n  - name: payments\n    certificate: client.pem\n    ca: false\n    private-key-env: PAYMENTS_KEY\n',
      { PAYMENTS_KEY: client.keyPem },
    )
    expect(problems).toEqual([])
    const [entry] = entries
    expect(entry?.name).toBe('payments')
    expect(entry?.line).toBe(2)
    expect(entry?.spec).toEqual({
      certificate: { text: client.client.pem, input: 'certificate', path: 'client.pem' },
      privateKey: { text: client.keyPem, input: 'private-key-env', path: 'PAYMENTS_KEY' },
      ca: false,
      allowMissingKey: false,
      name: 'payments',
      replace: true,
    })
    expect(entry?.checked.leaf.fingerprint256).toBe(client.client.x509.fingerprint256)
  })

  it('decrypts a key from a variable with the passphrase from another; the entry may turn replace off', () => {
    const encrypted = keyPem(client.client.key, 'pkcs8', { passphrase: PASSPHRASE })
    const { entries, problems } = check(
      'certificates:\n  - name: p\n    certificate: client.pem\n    ca: false\n    private-key-env: K\n    private-key-passphrase-env: PASS\n    replace: false\n',
      { K: encrypted, PASS: PASSPHRASE },
    )
    expect(problems).toEqual([])
    expect(entries[0]?.spec.privateKeyPassphrase).toBe(PASSPHRASE)
    expect(entries[0]?.spec.replace).toBe(false)
    expect(entries[0]?.checked.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
  })

  it("refuses a second entry of the same name, naming the first one's line", () => {
    const { entries, problems } = check(
      'certificates:\n  - { name: root, certificate: ca.pem, ca: true }\n  - { name: root, certificate: ca.pem, ca: true }\n',
    )
    expect(entries[0]?.spec.ca).toBe(true)
    expect(entries[1]).toBeUndefined()
    expect(problems).toEqual([
      "m.yml:3: certificates[1].name: 'root' is already the name of the entry on line 2: names must be unique",
    ])
  })

  it('refuses a key on a CA, two keys, a passphrase without a key, and a client certificate without its key', () => {
    const { entries, problems } = check(
      [
        'certificates:',
        '  - { name: a, certificate: ca.pem, ca: true, private-key-path: k.pem }',
        '  - { name: b, certificate: client.pem, ca: false, private-key-env: K, private-key-path: k.pem }',
        '  - { name: c, certificate: client.pem, ca: false, allow-missing-key: true, private-key-passphrase-env: PASS }',
        '  - { name: d, certificate: client.pem, ca: false }',
        '',
      ].join('\n'),
      { K: client.keyPem, PASS: 'x' },
    )
    expect(entries).toEqual([undefined, undefined, undefined, undefined])
    expect(problems).toContain(
      'm.yml:2: certificates[0].private-key-path: is set with ca: true: a CA certificate is uploaded without its private key. Remove it, or set ca: false',
    )
    expect(problems).toContain(
      'm.yml:3: certificates[1].private-key-path: is set with private-key-env: give the key once, preferably in private-key-env',
    )
    expect(problems).toContain(
      'm.yml:4: certificates[2].private-key-passphrase-env: is set but no private key is: set private-key-env or private-key-path',
    )
    expect(problems).toContain(
      'm.yml:5: certificates[3]: a client certificate (ca: false) is used with its key: set private-key-env to the variable that holds it, or private-key-path; to upload it without its key on purpose, set allow-missing-key: true',
    )
  })

  it("puts a key that fits no certificate on the key's line", () => {
    const other = keyPem(generateKey('ec'), 'pkcs8')
    const { entries, problems } = check(
      'certificates:\n  - name: p\n    certificate: client.pem\n    ca: false\n    private-key-env: K\n',
      { K: other },
    )
    expect(entries[0]).toBeUndefined()
    expect(problems).toEqual([
      "m.yml:5: certificates[0].private-key-env: The private key (private-key-env 'K') does not belong to the certificate in certificate 'client.pem' (CN=test-client). Give the key that was used to request this certificate, or the certificate issued for this key. After a renewal with a new key, the secret may still hold the previous key: update the secret too.",
    ])
  })
})
