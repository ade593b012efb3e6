import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { parse } from 'yaml'
import {
  BINDING_FIELDS,
  ENTRY_FIELDS,
  MANIFEST_FIELDS,
  REQUIRED_BINDING_FIELDS,
  REQUIRED_ENTRY_FIELDS,
  REQUIRED_MANIFEST_FIELDS,
  type FieldType,
} from '../../../src/manifest/fields.ts'
import { readManifest } from '../../../src/manifest/read.ts'
import { ROOT } from '../../../test-kit/run-action.ts'
import { ZONE_ID, makeClient, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../../test-kit/pki.ts'
import { TARGET_FIELDS } from '../../../src/targets/registry.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

interface SchemaObject {
  type?: string
  required?: string[]
  properties?: Record<string, SchemaObject & { $ref?: string }>
  items?: SchemaObject & { $ref?: string }
  $defs?: Record<string, SchemaObject>
}

const schema = JSON.parse(readFileSync(join(ROOT, 'manifest.schema.json'), 'utf8')) as SchemaObject
const defs = schema.$defs ?? {}
const resolved = (node: (SchemaObject & { $ref?: string }) | undefined): SchemaObject =>
  node?.$ref ? (defs[node.$ref.replace('#/$defs/', '')] ?? {}) : (node ?? {})

const JSON_TYPE: Record<FieldType, string> = {
  integer: 'integer',
  string: 'string',
  boolean: 'boolean',
  'string-list': 'array',
  entries: 'array',
  bindings: 'array',
  configs: 'array',
}

function expectSameFields(node: SchemaObject, fields: Record<string, FieldType>, required: readonly string[]): void {
  expect(Object.keys(node.properties ?? {}).sort()).toEqual(Object.keys(fields).sort())
  expect([...(node.required ?? [])].sort()).toEqual([...required].sort())
  for (const [name, type] of Object.entries(fields))
    expect(resolved(node.properties?.[name]).type, name).toBe(JSON_TYPE[type])
}

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema)

const client = makeClient('ec')
const ca = issueCertificate({ commonName: 'CA', key: generateKey('ec'), ca: true })
const root = makeWorkspace({
  'c.pem': client.client.pem,
  'ca.pem': ca.pem,
  'wrangler.toml': 'name = "w"\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\n',
})

/** Whether the checker accepts the manifest. */
let written = 0
function checkerAccepts(text: string): boolean {
  const file = `m-${++written}.yml`
  writeFileSync(join(root, file), text)
  try {
    readManifest(file, {
      workspace: root,
      env: { KEY: client.keyPem },
      replace: false,
      now: new Date(),
      expiryWarningDays: 30,
    })
    return true
  } catch {
    return false
  }
}

describe('manifest.schema.json', () => {
  it('has the fields, types and required lists the checker has', () => {
    expectSameFields(schema, MANIFEST_FIELDS, REQUIRED_MANIFEST_FIELDS)
    const entry = resolved(schema.properties?.certificates?.items)
    const targetFields = Object.fromEntries(TARGET_FIELDS.map((field) => [field.key, 'configs']))
    expectSameFields(entry, { ...ENTRY_FIELDS, ...targetFields }, REQUIRED_ENTRY_FIELDS)
    expectSameFields(resolved(entry.properties?.wrangler?.items), BINDING_FIELDS, REQUIRED_BINDING_FIELDS)
  })

  it('accepts the examples of docs/manifest.md', () => {
    const blocks = readFileSync(join(ROOT, 'docs/manifest.md'), 'utf8').split('```yml\n').slice(1)
    expect(blocks.length).toBeGreaterThan(0)
    for (const block of blocks)
      expect(validate(parse(block.split('```')[0] ?? '')), JSON.stringify(validate.errors)).toBe(true)
  })

  // Every example's files exist: what the checker refuses is the manifest itself.
  const relativeTo = (file: string): string => file
  const leaf = (extra = ''): string =>
    `version: 1\ncertificates:\n  - { name: a, certificate: ${relativeTo('c.pem')}, ca: false, private-key-env: KEY${extra} }\n`
  const authority = (extra = ''): string =>
    `version: 1\ncertificates:\n  - { name: b, certificate: ${relativeTo('ca.pem')}, ca: true${extra} }\n`

  const valid = [
    leaf(),
    leaf(', replace: true'),
    leaf(`, wrangler: [{ config: ${relativeTo('wrangler.toml')}, binding: PAYMENTS_CERT }]`),
    authority(),
    authority(`, zone-id: ${ZONE_ID}, hostnames: [api.example.com]`),
  ]
  const invalid = [
    'version: 2\ncertificates: []\n',
    'version: 1\n',
    'version: 1\ncertificates: []\n',
    leaf(', colour: blue'),
    leaf(', replace: yes'),
    leaf(', private-key-path: k.pem'),
    leaf(', private-key-passphrase-env: GITHUB_TOKEN'),
    leaf(`, zone-id: ${ZONE_ID}, hostnames: [api.example.com]`),
    leaf(', wrangler: [{ config: /etc/wrangler.toml, binding: B }]'),
    leaf(`, wrangler: [{ config: ${relativeTo('wrangler.toml')} }]`),
    authority(`, zone-id: ${ZONE_ID}`),
    authority(', private-key-env: KEY'),
    authority(`, wrangler: [{ config: ${relativeTo('wrangler.toml')}, binding: B }]`),
    `version: 1\ncertificates:\n  - { certificate: ${relativeTo('ca.pem')}, ca: true }\n`,
    `version: 1\ncertificates:\n  - { name: b, certificate: ${relativeTo('ca.pem')}, ca: 'true' }\n`,
  ]

  it.each(valid)('and the checker both accept %s', (text) => {
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true)
    expect(checkerAccepts(text)).toBe(true)
  })

  it.each(invalid)('and the checker both refuse %s', (text) => {
    expect(validate(parse(text))).toBe(false)
    expect(checkerAccepts(text)).toBe(false)
  })
})
