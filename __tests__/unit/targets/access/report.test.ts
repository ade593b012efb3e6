import { describe, expect, it } from 'vitest'
import type { AccessDone, AccessPlaceData, AccessRetireData } from '../../../../src/targets/access/data.ts'
import { reportAccess } from '../../../../src/targets/access/report.ts'
import type { Step } from '../../../../src/plan/step.ts'
import { ACCOUNT_ID, ZONE_ID } from '../../../../test-kit/fixtures.ts'

const OLD = '3ce2cb77-c506-4ae2-a3c6-63538c922a4a'
const NEW = '5ea21a33-73d9-4273-a08f-ac44ebe13e1c'
const OTHER = '7f5a4837-b6a6-4f84-94b0-0de4acf80136'
const GAP = 'swap: detach-first: 1 hostname (app.example.com) will have no Access CA in between.'

const place = (data: Partial<AccessPlaceData>): Step<AccessPlaceData> => ({
  target: 'access',
  action: 'place',
  when: 'now',
  data: { owner: { accountId: ACCOUNT_ID }, steps: [], later: [], ...data },
})
const detach = { action: 'detach' as const, id: OLD, name: 'partners-ca', keep: [], removed: ['app.example.com'] }
const entry = { name: 'partners-ca', steps: [] }

describe('reportAccess, placing', () => {
  it('says the gap of swap: detach-first before the detach that opens it, so a reviewer reads it first', () => {
    const step = place({
      steps: [
        { action: 'upload', name: 'partners-ca', hostnames: [] },
        { ...detach, gap: true },
        { action: 'attach', hostnames: ['app.example.com'] },
      ],
      gap: GAP,
    })
    const rows = reportAccess(step, undefined, entry, 'main').rows
    expect(rows.map((row) => row.action)).toEqual(['upload', 'note', 'detach', 'attach'])
    expect(rows[1]).toEqual({ name: '', action: 'note', store: `Access, account ${ACCOUNT_ID}`, reason: GAP })
  })

  it('puts a gap with no detach after the steps, and no note without a gap', () => {
    const reuse = { action: 'reuse' as const, id: NEW, name: 'partners-ca' }
    expect(
      reportAccess(place({ steps: [reuse], gap: GAP }), undefined, entry, 'main').rows.map((r) => r.action),
    ).toEqual(['reuse', 'note'])
    const moved = place({
      steps: [reuse, { action: 'attach', hostnames: ['app.example.com'] }, { ...detach, gap: false }],
    })
    const rows = reportAccess(moved, undefined, entry, 'main').rows
    expect(rows.map((row) => row.action)).toEqual(['reuse', 'attach', 'detach'])
    expect(rows[2]?.reason).toBe('moved to the new CA')
  })

  it("gives the CA's id and when Cloudflare stored it: the reused one's as planned, the upload's once done", () => {
    const reuse = { action: 'reuse' as const, id: OLD, name: 'partners-ca', uploadedOn: '2025-01-01T00:00:00Z' }
    expect(reportAccess(place({ steps: [reuse] }), undefined, entry, 'main').outputs).toEqual({
      'certificate-id': OLD,
      'uploaded-on': '2025-01-01T00:00:00Z',
    })
    const upload = place({ steps: [{ action: 'upload', name: 'partners-ca', hostnames: [] }] })
    expect(reportAccess(upload, undefined, entry, 'main').outputs).toEqual({ 'certificate-id': '', 'uploaded-on': '' })
    const done: AccessDone = {
      id: NEW,
      uploadedOn: '2026-12-07T20:00:00Z',
      uploaded: true,
      lines: [],
      warnings: [],
      retired: [],
    }
    expect(reportAccess(upload, done, entry, 'main').outputs).toEqual({
      'certificate-id': NEW,
      'uploaded-on': '2026-12-07T20:00:00Z',
    })
  })

  it('shows what an attach takes off the reused CA as a detach row, with the reused id on both before the run', () => {
    const step = place({
      steps: [
        { action: 'reuse', id: NEW, name: 'partners-ca' },
        { action: 'attach', hostnames: ['app.example.com'], drops: ['extra.example.com'] },
      ],
    })
    const store = `Access, account ${ACCOUNT_ID}`
    expect(reportAccess(step, undefined, entry, 'main').rows).toEqual([
      { name: '', action: 'reuse', store, id: NEW, reason: 'same CA already in Access' },
      { name: '', action: 'attach', store, id: NEW, hostnames: ['app.example.com'] },
      {
        name: '',
        action: 'detach',
        store,
        id: NEW,
        hostnames: ['extra.example.com'],
        reason: 'not in the entry: this run gives them to no other CA',
      },
    ])
  })

  it("gives the upload's id once done", () => {
    const done: AccessDone = { id: NEW, uploaded: true, lines: [], warnings: [], retired: [] }
    const step = place({ steps: [{ action: 'upload', name: 'partners-ca', hostnames: ['app.example.com'] }] })
    expect(reportAccess(step, done, entry, 'main').rows).toEqual([
      { name: '', action: 'upload', store: `Access, account ${ACCOUNT_ID}`, id: NEW, hostnames: ['app.example.com'] },
    ])
  })
})

describe('reportAccess, retiring in the post step', () => {
  const retire = (): Step<AccessRetireData> => ({
    target: 'access',
    action: 'retire',
    when: 'end-of-job',
    data: {
      owner: { zoneId: ZONE_ID },
      rotation: { name: 'partners-ca', id: NEW },
      steps: [
        { action: 'retire', id: OLD, name: 'partners-ca', hostnames: ['app.example.com'] },
        { action: 'retire', id: OTHER, name: 'partners-ca', hostnames: [] },
      ],
    },
  })
  const done: AccessDone = {
    uploaded: false,
    lines: [],
    warnings: [],
    retired: [
      { id: OLD, outcome: 'deleted', waitedMs: 2000 },
      { id: OTHER, outcome: 'kept', reason: 'kept for a later run: timeout-seconds ran out' },
    ],
  }

  it('gives the job summary a section: each old CA deleted or kept, and why, under the CA that replaced it', () => {
    const report = reportAccess(retire(), done, entry, 'post')
    expect(report.sections).toEqual([
      {
        heading: [
          `Replace at the end of the job: Access CAs named partners-ca in zone ${ZONE_ID}, replaced by `,
          { code: NEW },
        ],
        table: {
          columns: ['ID', 'Action', 'Why'],
          rows: [
            [{ code: OLD }, { verb: 'delete', done: true }, 'detached, and deleted once it read without hostnames'],
            [{ code: OTHER }, 'kept', 'kept for a later run: timeout-seconds ran out'],
          ],
        },
      },
    ])
    expect(report.outputs['replaced-ids']).toEqual([OLD])
  })

  it('adds no section in the main step, where the plan table says it', () => {
    expect(reportAccess(retire(), { ...done, tail: retire() }, entry, 'main').sections).toEqual([])
    expect(reportAccess(retire(), undefined, entry, 'main').sections).toEqual([])
  })
})
