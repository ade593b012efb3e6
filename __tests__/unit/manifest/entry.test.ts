import { isSeq, type Node } from 'yaml'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { parseManifestYaml } from '../../../src/manifest/document.ts'
import { checkEntry } from '../../../src/manifest/entry.ts'
import { readManifest } from '../../../src/manifest/read.ts'
import type { ManifestContext } from '../../../src/manifest/sources.ts'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { ZONE_ID, makeClient, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, keyPem } from '../../../test-kit/pki.ts'

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

beforeAll(loadWranglerParsers)

const client = makeClient('ec')
const ca = issueCertificate({ commonName: 'CA', key: generateKey('ec'), ca: true })
const otherKey = keyPem(generateKey('ec'), 'pkcs8')
const root = makeWorkspace({
  'c.pem': client.client.pem,
  'c.key': client.keyPem,
  'other.key': otherKey,
  'ca.pem': ca.pem,
  'wrangler.toml': 'name = "w"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
})

const context = (env: Record<string, string> = {}, secretsUnavailable = false): ManifestContext => ({
  workspace: root,
  folder: root,
  env,
  replace: false,
  now: new Date(),
  expiryWarningDays: 30,
  secretsUnavailable,
})

/** The first entry of a manifest of `lines`, checked: its spec, or the problems it has. */
function entry(lines: string, env: Record<string, string> = {}, secretsUnavailable = false) {
  const { root: map, problems } = parseManifestYaml(`version: 1\ncertificates:\n  - ${lines}\n`, 'm.yml')
  const list = map?.get('certificates', true) as Node | undefined
  const item = isSeq(list) ? (list.items[0] as Node) : undefined
  if (!item) throw new Error('no entry')
  const seen = { names: new Map<string, number>(), bindings: new Map(), stores: new Map<string, number>() }
  const checked = checkEntry(item, 0, context(env, secretsUnavailable), problems, seen)
  return { checked, problems: problems.list }
}

const LEAF = 'name: leaf\n    certificate: c.pem\n    ca: false'
const CA = 'name: ca\n    certificate: ca.pem\n    ca: true'

describe('checkEntry: the certificate rules, on the line of the field each names', () => {
  it('accepts a leaf with its key and a binding, and a CA with API Shield', () => {
    const leaf = entry(
      `${LEAF}\n    private-key-env: KEY\n    wrangler: [{ config: wrangler.toml, binding: PAYMENTS_CERT }]`,
      {
        KEY: client.keyPem,
      },
    )
    expect(leaf.problems).toEqual([])
    expect(leaf.checked?.spec.wrangler).toEqual([{ config: 'wrangler.toml', binding: 'PAYMENTS_CERT' }])
    const shield = entry(`${CA}\n    zone-id: "${ZONE_ID}"\n    hostnames: [api.example.com]`)
    expect(shield.checked?.spec.apiShield).toEqual({ zoneId: ZONE_ID, hostnames: ['api.example.com'] })
  })

  it.each([
    [
      `${CA}\n    private-key-path: c.key`,
      /^m\.yml:6: certificates\[0\]\.private-key-path: is set with ca: true: a CA certificate/,
    ],
    [
      `${LEAF}\n    private-key-env: KEY\n    private-key-path: c.key`,
      /^m\.yml:7: certificates\[0\]\.private-key-path: is set with private-key-env: give the key once/,
    ],
    [
      `${CA}\n    private-key-passphrase-env: PASS`,
      /^m\.yml:6: certificates\[0\]\.private-key-passphrase-env: is set but no private key is: set private-key-env or private-key-path/,
    ],
    [
      LEAF,
      /^m\.yml:3: certificates\[0\]\.private-key-env: is empty or not set, and ca: false uploads a client certificate/,
    ],
    [
      `${LEAF}\n    allow-missing-key: true\n    zone-id: "${ZONE_ID}"`,
      /^m\.yml:7: certificates\[0\]\.zone-id: is only for a CA certificate/,
    ],
    [
      `${CA}\n    hostnames: [a.example.com]`,
      /^m\.yml:6: certificates\[0\]\.hostnames: needs zone-id, which is not set: set it to the ID of the zone/,
    ],
    [
      `${CA}\n    wrangler: [{ config: wrangler.toml, binding: PAYMENTS_CERT }]`,
      /^m\.yml:6: certificates\[0\]\.wrangler: is only for a client certificate/,
    ],
  ])('refuses %j', (lines, message) => {
    const { checked, problems } = entry(lines, { KEY: client.keyPem, PASS: 'x' })
    expect(checked).toBeUndefined()
    expect(problems).toEqual([expect.stringMatching(message)])
  })

  it('says both that a leaf and its binding need the key', () => {
    const { problems } = entry(`${LEAF}\n    wrangler: [{ config: wrangler.toml, binding: PAYMENTS_CERT }]`)
    expect(problems).toEqual([
      expect.stringMatching(/certificates\[0\]\.private-key-env: is empty or not set/),
      expect.stringMatching(/^m\.yml:6: certificates\[0\]\.wrangler: needs the certificate's private key/),
    ])
  })
})

describe("checkEntry for a fork's pull request (secretsUnavailable)", () => {
  it('takes an empty key variable as withheld: the entry is checked without its key', () => {
    const { checked, problems } = entry(`${LEAF}\n    private-key-env: KEY`, {}, true)
    expect(problems).toEqual([])
    expect(checked?.spec.keyUnavailable).toBe(true)
    expect(checked?.spec.privateKey).toBeUndefined()
    expect(checked?.checked.privateKeyPem).toBeUndefined()
  })

  it('still checks a key in the checkout, the rules, the variable names and the files', () => {
    expect(entry(`${LEAF}\n    private-key-path: other.key`, {}, true).problems).toEqual([
      expect.stringMatching(/certificates\[0\]\.private-key-path: The private key .* does not belong/),
    ])
    expect(entry(`${LEAF}\n    private-key-path: c.key`, {}, true).checked?.spec.privateKey?.path).toBe('c.key')
    expect(entry(LEAF, {}, true).problems).toEqual([expect.stringMatching(/private-key-env: is empty or not set/)])
    expect(entry(`${LEAF}\n    private-key-env: GITHUB_TOKEN`, {}, true).problems).toEqual([
      expect.stringMatching(/'GITHUB_TOKEN' starts with GITHUB_/),
    ])
    expect(entry('name: x\n    certificate: missing.pem\n    ca: true', {}, true).problems).toEqual([
      expect.stringMatching(/certificates\[0\]\.certificate: file 'missing\.pem' does not exist/),
    ])
  })

  it('waits for the passphrase too: a key in the checkout whose passphrase is withheld is not decrypted', () => {
    const { checked, problems } = entry(
      `${LEAF}\n    private-key-path: c.key\n    private-key-passphrase-env: PASS`,
      {},
      true,
    )
    expect(problems).toEqual([])
    expect(checked?.spec.keyUnavailable).toBe(true)
  })

  it('fails a broken manifest through readManifest, as any run does', () => {
    const options = {
      workspace: root,
      env: {},
      replace: false,
      now: new Date(),
      expiryWarningDays: 30,
      secretsUnavailable: true,
    }
    expect(() => readManifest('c.pem', options)).toThrow(/has \d+ problem/)
  })
})

describe('checkEntry: store and swap', () => {
  const ACCESS = 'name: partners\n    certificate: ca.pem\n    store: access'
  const ORIGIN = `name: origin\n    certificate: c.pem\n    store: origin-pull\n    zone-id: "${ZONE_ID}"\n    private-key-env: KEY`

  it('reads an Access CA without ca (a CA, by the store), its hostnames checked and lower-cased', () => {
    const { checked, problems } = entry(`${ACCESS}\n    hostnames: [App.Example.com, '*.example.org']`)
    expect(problems).toEqual([])
    expect(checked?.spec).toMatchObject({
      store: 'access',
      ca: true,
      storeScope: { hostnames: ['app.example.com', '*.example.org'] },
    })
    expect(checked?.spec).not.toHaveProperty('apiShield')
  })

  it('reads the zone and swap of a zone-wide Access CA', () => {
    const { checked, problems } = entry(`${ACCESS}\n    zone-id: "${ZONE_ID}"\n    swap: detach-first`)
    expect(problems).toEqual([])
    expect(checked?.spec.storeScope).toEqual({ zoneId: ZONE_ID, hostnames: [], swap: 'detach-first' })
  })

  it('reads an origin pull leaf without ca (a leaf, by the store), with its key, zone-level without hostnames', () => {
    const { checked, problems } = entry(ORIGIN, { KEY: client.keyPem })
    expect(problems).toEqual([])
    expect(checked?.spec).toMatchObject({
      store: 'origin-pull',
      ca: false,
      storeScope: { zoneId: ZONE_ID, hostnames: [] },
    })
    expect(checked?.spec.privateKey?.text).toBe(client.keyPem)
    expect(checked?.checked.privateKeyPem).toBeDefined()
  })

  it('takes store: mtls as the default: ca required, the zone and hostnames for API Shield', () => {
    const { checked, problems } = entry(`name: ca\n    certificate: ca.pem\n    store: mtls`)
    expect(checked).toBeUndefined()
    expect(problems).toEqual(['m.yml:3: certificates[0].ca: is required'])
    const shield = entry(`${CA}\n    store: mtls\n    zone-id: "${ZONE_ID}"\n    hostnames: [api.example.com]`)
    expect(shield.checked?.spec).not.toHaveProperty('store')
    expect(shield.checked?.spec).not.toHaveProperty('storeScope')
    expect(shield.checked?.spec.apiShield).toEqual({ zoneId: ZONE_ID, hostnames: ['api.example.com'] })
  })

  it('refuses a store that is none, listing the choices, and says no rule of a store on top', () => {
    const { checked, problems } = entry(`${CA}\n    store: gateway\n    swap: detach-first`)
    expect(checked).toBeUndefined()
    expect(problems).toEqual([
      "m.yml:6: certificates[0].store: must be one of mtls, access, origin-pull, got 'gateway'",
    ])
  })

  it('refuses a swap that is not detach-first, on its line', () => {
    const { checked, problems } = entry(`${ACCESS}\n    swap: attach-first`)
    expect(checked).toBeUndefined()
    expect(problems).toEqual(["m.yml:6: certificates[0].swap: must be detach-first, got 'attach-first'"])
  })

  it("refuses a ca that contradicts the store, and a field the store has no use for, each on its field's line", () => {
    expect(entry(`${ACCESS}\n    ca: false`).problems).toEqual([
      expect.stringMatching(/^m\.yml:6: certificates\[0\]\.ca: is false, but store: access holds CA certificates/),
    ])
    expect(entry(`${ORIGIN}\n    ca: true`, { KEY: client.keyPem }).problems).toEqual([
      expect.stringMatching(/^m\.yml:8: certificates\[0\]\.ca: is true, but store: origin-pull holds the client/),
    ])
    expect(entry(`${ACCESS}\n    private-key-path: c.key`).problems).toEqual([
      expect.stringMatching(/^m\.yml:6: certificates\[0\]\.private-key-path: is not used with store: access: /),
    ])
    expect(entry(`${ORIGIN}\n    swap: detach-first`, { KEY: client.keyPem }).problems).toEqual([
      expect.stringMatching(/^m\.yml:8: certificates\[0\]\.swap: is not used with store: origin-pull: /),
    ])
  })

  it('needs the zone and key of an origin pull certificate', () => {
    const { checked, problems } = entry('name: origin\n    certificate: c.pem\n    store: origin-pull')
    expect(checked).toBeUndefined()
    expect(problems).toEqual([
      expect.stringMatching(/certificates\[0\]\.private-key-env: is not set, and store: origin-pull uploads/),
      expect.stringMatching(/certificates\[0\]\.zone-id: is needed with store: origin-pull/),
    ])
  })
})
