import { describe, expect, it } from 'vitest'
import type { Node } from 'yaml'
import { knownFields, parseManifestYaml, type Problems } from '../../../src/manifest/document.ts'
import { ENTRY_FIELDS, type Fields } from '../../../src/manifest/fields.ts'
import { readStoreScope, readZoneAndHostnames } from '../../../src/manifest/store-scope.ts'
import { ZONE_ID } from '../../../test-kit/fixtures.ts'

/** The fields of one entry written in `yaml` (one map), and where their problems go. */
const entry = (yaml: string): { fields: Fields; problems: Problems } => {
  const { root, problems } = parseManifestYaml(yaml, 'm.yml')
  const fields = knownFields(root as Node, ENTRY_FIELDS, [], 'certificates[0]', problems) as Fields
  return { fields, problems }
}

describe('readZoneAndHostnames', () => {
  it('reads each where set, the hostnames lower case and each once', () => {
    const { fields, problems } = entry(`zone-id: ${ZONE_ID.toUpperCase()}\nhostnames: [A.example.com, a.example.com]\n`)
    expect(readZoneAndHostnames(fields, 'certificates[0]', problems)).toEqual({
      zoneId: ZONE_ID,
      hostnames: ['a.example.com'],
    })
    const zoneOnly = entry(`zone-id: ${ZONE_ID}\n`)
    expect(readZoneAndHostnames(zoneOnly.fields, 'c', zoneOnly.problems)).toEqual({ zoneId: ZONE_ID })
    expect(problems.list).toEqual([])
  })
})

describe('readStoreScope', () => {
  it('reads the zone, the hostnames and the swap of an Access entry', () => {
    const { fields, problems } = entry(`zone-id: ${ZONE_ID}\nhostnames: [app.example.com]\nswap: detach-first\n`)
    expect(readStoreScope(fields, 'access', 'certificates[0]', problems, new Map())).toEqual({
      zoneId: ZONE_ID,
      hostnames: ['app.example.com'],
      swap: 'detach-first',
    })
    expect(problems.list).toEqual([])
  })

  it('refuses a swap that is not detach-first and a zone that is not an id, naming the field', () => {
    const { fields, problems } = entry('zone-id: example.com\nswap: attach-first\n')
    expect(readStoreScope(fields, 'access', 'certificates[0]', problems, new Map())).toBeUndefined()
    expect(problems.list.join('\n')).toContain('certificates[0].zone-id')
    expect(problems.list.join('\n')).toMatch(
      /m\.yml:2: certificates\[0\]\.swap: must be detach-first, got 'attach-first'/,
    )
  })

  it('refuses a hostname or a zone-level certificate an entry before claims, in the same owner only', () => {
    const seen = new Map<string, number>()
    const first = entry('hostnames: [app.example.com]\n')
    readStoreScope(first.fields, 'access', 'certificates[0]', first.problems, seen)
    const again = entry('\n\nhostnames: [other.example.com, app.example.com]\n')
    readStoreScope(again.fields, 'access', 'certificates[1]', again.problems, seen)
    expect(again.problems.list).toEqual([
      expect.stringMatching(
        /m\.yml:3: certificates\[1\]\.hostnames: claims app\.example\.com \(an Access hostname has one CA\), as the entry on line 1 does/,
      ),
    ])
    // The same hostname in a zone-wide Access CA, or as an origin pull hostname, is another claim.
    const zoneWide = entry(`zone-id: ${ZONE_ID}\nhostnames: [app.example.com]\n`)
    readStoreScope(zoneWide.fields, 'access', 'c', zoneWide.problems, seen)
    const origin = entry(`zone-id: ${ZONE_ID}\nhostnames: [app.example.com]\n`)
    readStoreScope(origin.fields, 'origin-pull', 'c', origin.problems, seen)
    expect([...zoneWide.problems.list, ...origin.problems.list]).toEqual([])
    const zoneLevel = entry(`zone-id: ${ZONE_ID}\n`)
    readStoreScope(zoneLevel.fields, 'origin-pull', 'c', zoneLevel.problems, seen)
    const zoneLevelAgain = entry(`zone-id: ${ZONE_ID}\n`)
    readStoreScope(zoneLevelAgain.fields, 'origin-pull', 'c', zoneLevelAgain.problems, seen)
    expect(zoneLevel.problems.list).toEqual([])
    expect(zoneLevelAgain.problems.list.join('\n')).toContain(
      `claims the zone-level origin pull certificate of zone ${ZONE_ID}`,
    )
  })
})
