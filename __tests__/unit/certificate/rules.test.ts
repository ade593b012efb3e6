import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CERTIFICATE_FIELD_KEYS, type CertificateFieldKey } from '../../../src/certificate/fields.ts'
import { certificateRules, inputNames, type GivenFields } from '../../../src/certificate/rules.ts'

/** The rules as a manifest names fields: each by its key, each message starting `<key>:`. */
const MANIFEST_NAMES = {
  label: (field: CertificateFieldKey) => `${field}:`,
  name: (field: CertificateFieldKey) => field,
  unsetNote: '',
}

const rules = (set: GivenFields['set'], given: Partial<Omit<GivenFields, 'set'>> = {}): string[] =>
  certificateRules(
    {
      set,
      ca: given.ca,
      allowMissingKey: given.allowMissingKey ?? false,
      replace: given.replace ?? false,
      store: 'store' in given ? given.store : 'mtls',
    },
    MANIFEST_NAMES,
  )

/** Each field set by its own key, as a manifest sets them. */
const keys = (...fields: CertificateFieldKey[]): GivenFields['set'] =>
  Object.fromEntries(fields.map((field) => [field, field]))

describe('certificateRules', () => {
  it('accepts a client certificate with its key and Wrangler bindings, and a CA with API Shield', () => {
    expect(rules(keys('name', 'certificate', 'private-key-env', 'wrangler'), { ca: false })).toEqual([])
    expect(rules(keys('name', 'certificate', 'zone-id', 'hostnames'), { ca: true, replace: true })).toEqual([])
    expect(rules(keys('certificate'), { ca: false, allowMissingKey: true })).toEqual([])
  })

  it.each([
    [
      keys('private-key-env', 'private-key-path'),
      false,
      /^private-key-path: is set with private-key-env: give the key once/,
    ],
    [keys('private-key-path'), true, /^private-key-path: is set with ca: true: a CA certificate is uploaded without/],
    [
      keys('private-key-passphrase-env'),
      true,
      /^private-key-passphrase-env: is set but no private key is: set private-key-env or private-key-path/,
    ],
    [
      keys(),
      false,
      /^private-key-env: is empty or not set, and ca: false uploads a client certificate.*allow-missing-key: true\.$/,
    ],
    [
      keys('zone-id', 'hostnames', 'private-key-env'),
      false,
      /^zone-id: is only for a CA certificate \(ca: true\).*Remove zone-id and hostnames/,
    ],
    [keys('hostnames', 'private-key-env'), false, /^hostnames: is only for a CA certificate/],
    [keys('zone-id'), true, /^zone-id: needs hostnames, which is not set/],
    [keys('hostnames'), true, /^hostnames: needs zone-id, which is not set/],
    [keys('wrangler'), true, /^wrangler: is only for a client certificate \(ca: false\)/],
  ])('refuses %j with ca: %s, once', (set, ca, message) => {
    expect(rules(set, { ca })).toEqual([expect.stringMatching(message)])
  })

  it('says that Wrangler needs the key, besides that a client certificate does, unless allow-missing-key', () => {
    expect(rules(keys('wrangler'), { ca: false })).toEqual([
      expect.stringMatching(/^private-key-env: is empty or not set/),
      expect.stringMatching(/^wrangler: needs the certificate's private key.*remove allow-missing-key\.$/),
    ])
    expect(rules(keys('wrangler'), { ca: false, allowMissingKey: true })).toHaveLength(1)
  })

  it('refuses replace without a name', () => {
    expect(rules(keys('private-key-env'), { ca: false, replace: true })).toEqual([
      expect.stringMatching(/^replace: needs name: replace deletes the older certificates with the same name/),
    ])
  })

  it('waits for ca to be a boolean before the rules that read it', () => {
    expect(rules(keys('private-key-env', 'zone-id', 'hostnames', 'wrangler'))).toEqual([])
  })

  it('names fields as the inputs do, by the input that set them, with the note on unset inputs', () => {
    const set = { 'zone-id': 'zone-id', wrangler: 'binding' }
    const errors = certificateRules(
      { set, ca: true, allowMissingKey: false, replace: false, store: 'mtls' },
      inputNames(set, 'NOTE.'),
    )
    expect(errors).toEqual([
      expect.stringMatching(/^Input 'zone-id' needs hostnames, which is not set: .* NOTE\.$/),
      expect.stringMatching(/^Input 'binding' is only for a client certificate/),
    ])
    const key = certificateRules(
      { set: {}, ca: false, allowMissingKey: false, replace: false, store: 'mtls' },
      inputNames({}, ''),
    )
    expect(key).toEqual([
      expect.stringMatching(/^Input 'private-key' is empty or not set.*Set private-key or private-key-path;/),
    ])
  })

  it('starts each message with a field that is set, or with the key or replace the rule is about', () => {
    fc.assert(
      fc.property(fc.subarray(CERTIFICATE_FIELD_KEYS), fc.option(fc.boolean()), fc.boolean(), (fields, ca, allow) => {
        for (const error of rules(keys(...fields), { ca: ca ?? undefined, allowMissingKey: allow })) {
          const field = error.slice(0, error.indexOf(':')) as CertificateFieldKey
          expect(fields.includes(field) || ['private-key-env', 'replace'].includes(field), error).toBe(true)
        }
      }),
    )
  })
})

describe('certificateRules: the stores beside the account store (storeRules)', () => {
  const access = (set: GivenFields['set'], given: Partial<Omit<GivenFields, 'set' | 'store'>> = {}) =>
    rules(set, { ca: true, ...given, store: 'access' })
  const originPull = (set: GivenFields['set'], given: Partial<Omit<GivenFields, 'set' | 'store'>> = {}) =>
    rules(set, { ca: false, ...given, store: 'origin-pull' })

  it('accepts an Access CA with its name, hostnames, zone and swap, and an origin pull leaf with its key and zone', () => {
    expect(access(keys('name', 'certificate'))).toEqual([])
    expect(access(keys('name', 'certificate', 'zone-id', 'hostnames', 'swap'), { replace: true })).toEqual([])
    expect(access(keys('name', 'hostnames'), { ca: undefined })).toEqual([])
    expect(originPull(keys('certificate', 'private-key-env', 'zone-id'))).toEqual([])
    expect(originPull(keys('name', 'private-key-path', 'zone-id', 'hostnames'), { replace: true })).toEqual([])
    expect(originPull(keys('private-key-env', 'private-key-passphrase-env', 'zone-id'), { ca: undefined })).toEqual([])
  })

  it.each<CertificateFieldKey>(['private-key-env', 'private-key-path', 'private-key-passphrase-env', 'wrangler'])(
    'refuses %s with store: access, naming the store',
    (field) => {
      expect(access(keys('name', field))).toEqual([
        `${field}: is not used with store: access: an Access CA is uploaded without a key, and Access checks client certificates against it for its hostnames. Remove it.`,
      ])
    },
  )

  it.each<CertificateFieldKey>(['wrangler', 'swap'])(
    'refuses %s with store: origin-pull, naming the store',
    (field) => {
      expect(originPull(keys('private-key-env', 'zone-id', field))).toEqual([
        `${field}: is not used with store: origin-pull: an origin pull certificate is presented by Cloudflare to the origin of zone-id; it is not bound to Workers and moves no Access hostnames. Remove it.`,
      ])
    },
  )

  it('refuses allow-missing-key in either store, each saying why', () => {
    expect(access(keys('name'), { allowMissingKey: true })).toEqual([
      'allow-missing-key: is not used with store: access: an Access CA never has a key. Remove it.',
    ])
    expect(originPull(keys('private-key-env', 'zone-id'), { allowMissingKey: true })).toEqual([
      'allow-missing-key: is not used with store: origin-pull: Cloudflare presents the certificate with its key, so the key is required. Remove it.',
    ])
  })

  it('refuses a ca that contradicts the store, and only then', () => {
    expect(access(keys('name'), { ca: false })).toEqual([
      expect.stringMatching(
        /^ca: is false, but store: access holds CA certificates.*a client certificate goes to store: mtls or origin-pull\.$/,
      ),
    ])
    expect(originPull(keys('private-key-env', 'zone-id'), { ca: true })).toEqual([
      expect.stringMatching(
        /^ca: is true, but store: origin-pull holds the client certificate \(a leaf, with its key\).*a CA goes to store: mtls or access\.$/,
      ),
    ])
    expect(originPull(keys('private-key-env', 'zone-id'), { ca: undefined })).toEqual([])
  })

  it('needs a name for Access, and the key and zone-id for origin pulls', () => {
    expect(access(keys('hostnames'))).toEqual([
      'name: is needed with store: access: Cloudflare names every Access certificate, and a rotation finds the CA it replaces by it.',
    ])
    expect(originPull(keys('hostnames'))).toEqual([
      expect.stringMatching(
        /^private-key-env: is not set, and store: origin-pull uploads the client certificate with its key: .*Set private-key-env or private-key-path;/,
      ),
      expect.stringMatching(
        /^zone-id: is needed with store: origin-pull: Authenticated Origin Pulls certificates belong to a zone\./,
      ),
    ])
  })

  it("applies none of the account store's rules to the other stores, but still refuses a key given twice", () => {
    // API Shield's zone-id without hostnames, replace without a name, a passphrase without a key: the account store's.
    expect(access(keys('name', 'zone-id'), { replace: true })).toEqual([])
    expect(originPull(keys('private-key-env', 'zone-id'), { replace: true })).toEqual([])
    expect(originPull(keys('private-key-env', 'private-key-path', 'zone-id'))).toEqual([
      expect.stringMatching(/^private-key-path: is set with private-key-env: give the key once/),
    ])
  })

  it('refuses swap on the account store, naming the store it is for', () => {
    expect(rules(keys('swap', 'private-key-env'), { ca: false })).toEqual([
      "swap: is only for store: access: it moves an Access CA's hostnames that Cloudflare will not give two CAs at once. Remove it.",
    ])
  })

  it('says nothing more for a store that is none of them (a problem of its own)', () => {
    expect(rules(keys('swap', 'wrangler', 'private-key-passphrase-env'), { ca: true, store: undefined })).toEqual([])
    expect(rules(keys('private-key-env', 'private-key-path'), { store: undefined })).toHaveLength(1)
  })

  it('names the inputs as the single step does', () => {
    const set = { swap: 'swap' }
    const errors = certificateRules(
      { set, ca: false, allowMissingKey: false, replace: false, store: 'origin-pull' },
      inputNames(set, ''),
    )
    expect(errors).toEqual([
      expect.stringMatching(/^Input 'swap' is not used with store: origin-pull:/),
      expect.stringMatching(
        /^Input 'private-key' is not set, and store: origin-pull .* Set private-key or private-key-path;/,
      ),
      expect.stringMatching(/^Input 'zone-id' is needed with store: origin-pull/),
    ])
  })
})
