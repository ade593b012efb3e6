import { describe, expect, it } from 'vitest'
import type { Node } from 'yaml'
import type { TargetField } from '../../../src/certificate/fields.ts'
import type { StoreName } from '../../../src/certificate/spec.ts'
import { knownFields, parseManifestYaml } from '../../../src/manifest/document.ts'
import { readTargetField, readUses } from '../../../src/manifest/target-fields.ts'

/** A target's field as a target declares it: a list of gadgets, each an id of digits and an optional note. */
const GADGETS: TargetField = {
  key: 'gadgets',
  items: { id: 'string', note: 'string' },
  required: ['id'],
  check: ({ id = '' }) => (/^\d+$/.test(id) ? undefined : `'${id}' is not a gadget id`),
  rule: ({ ca, hasKey }) => (ca === false && !hasKey ? "needs the certificate's private key" : undefined),
}
const PLAIN: TargetField = { key: 'plain', items: { name: 'string' }, required: ['name'] }

/** The entry written in `yaml` (one map): its fields, and where the problems go. */
function parsed(yaml: string) {
  const { root, problems } = parseManifestYaml(yaml, 'm.yml')
  const fields: Partial<Record<string, { key: Node | null; value: Node | null }>> =
    knownFields(root as Node, { gadgets: 0, plain: 0, name: 0 }, [], 'certificates[0]', problems) ?? {}
  return { fields, problems }
}

function field(yaml: string, target: TargetField = GADGETS) {
  const { fields, problems } = parsed(yaml)
  const given = fields[target.key] ?? { key: null, value: null }
  return { values: readTargetField(target, given, 'certificates[0]', problems), problems: problems.list }
}

describe('readTargetField', () => {
  it('reads each item, every key a string', () => {
    const { values, problems } = field('gadgets:\n  - id: "1"\n  - { id: 22, note: spare }\n')
    expect(problems).toEqual([])
    expect(values).toEqual([{ id: '1' }, { id: '22', note: 'spare' }])
  })

  it('refuses a field that is not a list, naming the field and its line', () => {
    const { values, problems } = field('name: x\ngadgets: { id: "1" }\n')
    expect(values).toBeUndefined()
    expect(problems).toEqual([expect.stringMatching(/^m\.yml:2: certificates\[0\]\.gadgets: must be /)])
  })

  it("refuses an item's unknown key, a missing required key and a value that is not a string, each on its line", () => {
    const { values, problems } = field('gadgets:\n  - id: "1"\n    colour: red\n  - note: x\n  - id: [1]\n')
    expect(values).toBeUndefined()
    expect(problems).toEqual([
      expect.stringMatching(
        /^m\.yml:3: certificates\[0\]\.gadgets\[0\]: unknown field 'colour' \(the fields are: id, note\)/,
      ),
      expect.stringMatching(/^m\.yml:4: certificates\[0\]\.gadgets\[1\]\.id: is required/),
      expect.stringMatching(/^m\.yml:5: certificates\[0\]\.gadgets\[2\]\.id: must be /),
    ])
  })

  it("says the target's own problem with an item, and an item listed twice, on the item's line", () => {
    const { values, problems } = field('gadgets:\n  - id: abc\n  - id: "7"\n  - id: "7"\n')
    expect(values).toBeUndefined()
    expect(problems).toEqual([
      "m.yml:2: certificates[0].gadgets[0]: 'abc' is not a gadget id",
      'm.yml:4: certificates[0].gadgets[2]: lists the same item a second time',
    ])
  })

  it('takes every item of a target without a check', () => {
    expect(field('plain: [{ name: a }, { name: b }]\n', PLAIN).values).toEqual([{ name: 'a' }, { name: 'b' }])
  })
})

describe('readUses', () => {
  const uses = (yaml: string, certificate: { ca?: boolean; hasKey?: boolean; store?: StoreName | undefined } = {}) => {
    const { fields, problems } = parsed(yaml)
    const read = readUses(
      [GADGETS, PLAIN],
      fields,
      {
        ca: certificate.ca ?? false,
        hasKey: certificate.hasKey ?? true,
        store: 'store' in certificate ? certificate.store : 'mtls',
      },
      'certificates[0]',
      problems,
    )
    return { read, problems: problems.list }
  }

  it('gives each declared field its values by target name, and nothing for a field not set', () => {
    expect(uses('gadgets: [{ id: "1" }]\n')).toEqual({ read: { gadgets: [{ id: '1' }] }, problems: [] })
    expect(uses('name: x\n')).toEqual({ read: {}, problems: [] })
    expect(uses('gadgets: [{ id: "1" }]\n', { store: undefined })).toEqual({
      read: { gadgets: [{ id: '1' }] },
      problems: [],
    })
  })

  it("holds each field to its target's rule with the certificate, on the field's line, and keeps no values", () => {
    expect(uses('name: x\ngadgets: [{ id: "1" }]\n', { hasKey: false })).toEqual({
      read: {},
      problems: ["m.yml:2: certificates[0].gadgets: needs the certificate's private key"],
    })
  })

  it.each<StoreName>(['access', 'origin-pull'])(
    'refuses a target field on an entry of store: %s, naming it',
    (store) => {
      const { read, problems } = uses('name: x\ngadgets: [{ id: "1" }]\nplain: [{ name: a }]\n', {
        store,
        hasKey: false,
      })
      expect(read).toEqual({})
      expect(problems).toEqual([
        `m.yml:2: certificates[0].gadgets: is not used with store: ${store}: only a certificate of the account's mTLS store (store: mtls) is put to use by gadgets. Remove it.`,
        `m.yml:3: certificates[0].plain: is not used with store: ${store}: only a certificate of the account's mTLS store (store: mtls) is put to use by plain. Remove it.`,
      ])
    },
  )

  it("still reports an item's own problems beside the store's", () => {
    const { problems } = uses('gadgets: [{ id: abc }]\n', { store: 'access' })
    expect(problems).toEqual([
      expect.stringMatching(/certificates\[0\]\.gadgets: is not used with store: access/),
      "m.yml:1: certificates[0].gadgets[0]: 'abc' is not a gadget id",
    ])
  })
})
