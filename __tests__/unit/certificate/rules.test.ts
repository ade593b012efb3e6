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
