import { describe, expect, it } from 'vitest'
import type { BindingsData } from '../../../../src/targets/workers/data.ts'
import { deployRows } from '../../../../src/targets/workers/deploy-rows.ts'
import type { Served } from '../../../../src/targets/workers/deployed.ts'

const NEW = '33333333-3333-4333-8333-333333333333'
const OLD = '11111111-1111-4111-8111-111111111111'

/** A plan's data for one section deployed as `payments-production`, its checkout holding `checkout`. */
const data = (served: Served | undefined, checkout: string | undefined = OLD): BindingsData => ({
  configs: [],
  planned: {
    id: NEW,
    files: [
      {
        config: 'wrangler.jsonc',
        fullPath: '/w/wrangler.jsonc',
        binding: 'CERT',
        entries: [{ section: 'env.production', ...(checkout ? { oldId: checkout } : {}), newId: NEW }],
        before: '',
        after: '',
        changed: checkout !== NEW,
        bom: false,
        encoding: 'utf8',
      },
    ] as unknown as BindingsData['planned']['files'],
  },
  scope: ['payments-production'],
  unnamed: [],
  sections: [
    {
      config: 'wrangler.jsonc',
      section: 'env.production',
      binding: 'CERT',
      worker: 'payments-production',
      ...(served ? { served } : {}),
    },
  ],
})

describe('deployRows', () => {
  it('plans a deploy when the Worker serves another certificate, naming what it serves now', () => {
    const served: Served = { kind: 'serves', ids: [{ certificateId: OLD, percentage: 100 }] }
    expect(deployRows(data(served))).toEqual([
      {
        name: '',
        action: 'deploy',
        worker: 'payments-production',
        binding: 'CERT',
        config: 'wrangler.jsonc',
        section: 'env.production',
        oldId: OLD,
        newId: NEW,
        reason: "the workflow's deploy moves it",
      },
    ])
  })

  it('names each version of a gradual deployment with its share', () => {
    const served: Served = {
      kind: 'serves',
      ids: [
        { certificateId: NEW, percentage: 10 },
        { certificateId: OLD, percentage: 90 },
      ],
    }
    expect(deployRows(data(served))[0]?.oldId).toBe(`${NEW} (10 %), ${OLD} (90 %)`)
  })

  it('is no change when the Worker serves the certificate: only a note when the checkout differs', () => {
    const served: Served = { kind: 'serves', ids: [{ certificateId: NEW, percentage: 100 }] }
    expect(deployRows(data(served, NEW))).toEqual([])
    const [note] = deployRows(data(served, OLD))
    expect(note).toMatchObject({ action: 'note' })
    expect(note?.reason).toContain('commit the written file to keep local wrangler commands in step')
  })

  it('notes a Worker never deployed, and plans a deploy it cannot check when the read was refused', () => {
    expect(deployRows(data({ kind: 'absent' }))[0]).toMatchObject({ action: 'note' })
    const [unread] = deployRows(data({ kind: 'unread', cause: 'HTTP 403' }))
    expect(unread).toMatchObject({ action: 'deploy', newId: NEW })
    expect(unread?.oldId).toBeUndefined()
    expect(unread?.reason).toContain('Workers Scripts → Read')
  })

  it('says nothing of a section whose Worker was not read (a real run reads none)', () => {
    expect(deployRows(data(undefined))).toEqual([])
  })
})
