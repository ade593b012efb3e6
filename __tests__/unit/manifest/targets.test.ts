import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, beforeAll } from 'vitest'
import type { Node } from 'yaml'
import { knownFields, parseManifestYaml } from '../../../src/manifest/document.ts'
import { ENTRY_FIELDS } from '../../../src/manifest/fields.ts'
import type { ManifestContext } from '../../../src/manifest/sources.ts'
import { readApiShield, readBindings, type SeenBindings } from '../../../src/manifest/targets.ts'
import type { Fields } from '../../../src/manifest/fields.ts'
import { ZONE_ID, makeWorkspace } from '../../../test-kit/fixtures.ts'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'

beforeAll(loadWranglerParsers)

const CONFIG = '{ "name": "payments", "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }'

/** The fields of the entry written in `yaml` (one map), and where their problems go. */
const entry = (yaml: string) => {
  const { root, problems } = parseManifestYaml(yaml, 'm.yml')
  const fields = knownFields(root as Node, ENTRY_FIELDS, [], 'certificates[0]', problems) as Fields
  return { fields, problems }
}

const context = (): ManifestContext => {
  const workspace = makeWorkspace({ 'workers/wrangler.jsonc': CONFIG })
  mkdirSync(join(workspace, 'deploy'))
  return {
    workspace,
    folder: join(workspace, 'deploy'),
    env: {},
    replace: false,
    now: new Date(),
    expiryWarningDays: 30,
  }
}

describe('readApiShield', () => {
  it("reads a CA's zone and hostnames, lower case, each once", () => {
    const { fields, problems } = entry(
      `zone-id: ${ZONE_ID}\nhostnames: [API.example.com, api.example.com, b.example.com]\n`,
    )
    expect(readApiShield(fields, true, 'certificates[0]', problems)).toEqual({
      zoneId: ZONE_ID,
      hostnames: ['api.example.com', 'b.example.com'],
    })
    expect(problems.list).toEqual([])
  })

  it('is nothing for an entry without either field', () => {
    const { fields, problems } = entry('name: x\n')
    expect(readApiShield(fields, true, 'certificates[0]', problems)).toBeUndefined()
    expect(problems.list).toEqual([])
  })

  it('reads nothing, and adds no problem of its own, on a client certificate or one without the other (certificate/rules.ts says why)', () => {
    const client = entry(`zone-id: ${ZONE_ID}\nhostnames: [a.example.com]\n`)
    expect(readApiShield(client.fields, false, 'certificates[0]', client.problems)).toBeUndefined()
    const alone = entry('hostnames: [a.example.com]\n')
    expect(readApiShield(alone.fields, true, 'certificates[0]', alone.problems)).toBeUndefined()
    expect([...client.problems.list, ...alone.problems.list]).toEqual([])
  })

  it('reports a bad zone id and a hostname that is not a string, each with its field', () => {
    const { fields, problems } = entry('zone-id: example.com\nhostnames: [a.example.com, 42, [x]]\n')
    expect(readApiShield(fields, true, 'certificates[0]', problems)).toBeUndefined()
    expect(problems.list).toHaveLength(2)
    expect(problems.list[0]).toMatch(/^m\.yml:1: certificates\[0\]\.zone-id: /)
    expect(problems.list[1]).toBe('m.yml:2: certificates[0].hostnames[2]: must be a string, got a list')
  })
})

describe('readBindings', () => {
  const where = { path: 'certificates[0]', entry: 0 }

  it('reads each binding, checking its file has it', () => {
    const { fields, problems } = entry('wrangler:\n  - { config: ../workers/wrangler.jsonc, binding: PAYMENTS_CERT }\n')
    const seen: SeenBindings = new Map()
    expect(readBindings(fields.wrangler, false, true, where, context(), problems, seen)).toEqual([
      { config: 'workers/wrangler.jsonc', binding: 'PAYMENTS_CERT' },
    ])
    expect(problems.list).toEqual([])
    expect([...seen.values()]).toEqual([{ line: 2, entry: 0, config: 'workers/wrangler.jsonc' }])
  })

  it('reads no bindings on a CA or without the key (certificate/rules.ts says why), and refuses a binding name that is not one', () => {
    const ca = entry('wrangler: []\n')
    expect(readBindings(ca.fields.wrangler, true, false, where, context(), ca.problems, new Map())).toBeUndefined()
    const keyless = entry('wrangler: []\n')
    expect(
      readBindings(keyless.fields.wrangler, false, false, where, context(), keyless.problems, new Map()),
    ).toBeUndefined()
    expect([...ca.problems.list, ...keyless.problems.list]).toEqual([])
    const badName = entry('wrangler:\n  - { config: ../workers/wrangler.jsonc, binding: 1st-cert }\n')
    expect(
      readBindings(badName.fields.wrangler, false, true, where, context(), badName.problems, new Map()),
    ).toBeUndefined()
    expect(badName.problems.list).toEqual([
      "m.yml:2: certificates[0].wrangler[0].binding: '1st-cert' is not a binding name: letters, digits, _ and $, not starting with a digit (PAYMENTS_CERT)",
    ])
  })

  it("refuses a file and binding another entry lists already, naming that entry's line", () => {
    const shared = context()
    const seen: SeenBindings = new Map()
    const yaml = 'wrangler:\n  - { config: ../workers/wrangler.jsonc, binding: PAYMENTS_CERT }\n'
    const first = entry(yaml)
    readBindings(first.fields.wrangler, false, true, where, shared, first.problems, seen)
    const second = entry(yaml)
    expect(
      readBindings(
        second.fields.wrangler,
        false,
        true,
        { path: 'certificates[1]', entry: 1 },
        shared,
        second.problems,
        seen,
      ),
    ).toBeUndefined()
    expect(second.problems.list).toEqual([
      "m.yml:2: certificates[1].wrangler[0]: lists workers/wrangler.jsonc and PAYMENTS_CERT, as the entry on line 2 does: a binding holds one certificate's id, so two entries overwrite each other's on every run. Give each entry its own binding",
    ])
  })
})
