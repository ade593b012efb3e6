import { describe, expect, it } from 'vitest'
import type { AccessStep } from '../../../../src/access/plan.ts'
import { emptyAccessResult } from '../../../../src/access/apply.ts'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import type { EntryPlan, Step } from '../../../../src/plan/step.ts'
import type {
  AccessDone,
  AccessMoveData,
  AccessPlaceData,
  AccessRetireData,
} from '../../../../src/targets/access/data.ts'
import { SHARED_HOSTNAME_CAVEAT, reportAccess as reportStep } from '../../../../src/targets/access/report.ts'
import type { Report } from '../../../../src/core/report.ts'
import { ACCOUNT_ID, ZONE_ID } from '../../../../test-kit/fixtures.ts'

const NEW = 'b2134436-2555-4acf-be5b-26c48136575e'
const OLD = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'
const OTHER = '0123456789abcdef0123456789abcdef'
const HOSTS = ['app.example.com']
const STORE = `Access, account ${ACCOUNT_ID}`
const facts = { expiresOn: 'E', issuer: 'I', serialNumber: 'S', signature: 'G', fingerprintSha256: 'F' }

const entry: EntryPlan = {
  name: 'partners',
  steps: [],
  spec: {
    store: 'access',
    storeScope: { hostnames: HOSTS },
    name: 'partners-ca',
    ca: true,
    replace: true,
  } as CertificateSpec,
  checked: { facts } as unknown as CheckedCertificate,
}
const saved = { name: 'partners', steps: [] }

/** A placement as the store plans it: the upload or reuse, and its move (attach, detach) planned with it. */
const place = (steps: AccessStep[], extra: Partial<AccessMoveData> = {}): Step<AccessPlaceData> => {
  const owner = { accountId: ACCOUNT_ID }
  const isPlacing = (step: AccessStep): boolean => step.action === 'upload' || step.action === 'reuse'
  const placing = steps.filter(isPlacing)
  const reused = placing.find((step) => step.action === 'reuse')
  const moves: AccessMoveData = {
    owner,
    steps: steps.filter((step) => !isPlacing(step)),
    ...(reused?.action === 'reuse' ? { reused: reused.id } : {}),
    ...extra,
  }
  return { target: 'access', action: 'place', when: 'now', data: { owner, steps: placing, moves, later: [] } }
}

/**
 * The placement's report and, when it has one, its move step's, joined as entryReport joins an
 * entry's steps: the outcome is the one both were carried out to.
 */
function reportAccess(
  step: Step,
  outcome: AccessDone | undefined,
  on: EntryPlan | typeof saved,
  phase: 'main' | 'post',
): Report {
  if (step.action !== 'place') return reportStep(step, outcome, on, phase)
  const placed = reportStep(step, outcome, on, phase)
  const { moves } = (step as Step<AccessPlaceData>).data
  if (moves.steps.length === 0 && !moves.gap) return placed
  const move: Step<AccessMoveData> = { target: 'access', action: 'move', when: 'now', data: moves }
  const moved = reportStep(move, outcome, on, phase)
  // One outcome stands for both steps here: its lines are said once.
  return { ...placed, rows: [...placed.rows, ...moved.rows] }
}
const retire = (when: Step['when'], steps: AccessStep[]): Step<AccessRetireData> => ({
  target: 'access',
  action: 'retire',
  when,
  data: { owner: { accountId: ACCOUNT_ID }, rotation: { name: 'partners-ca' }, steps },
})
const done = (extra: Partial<AccessDone> = {}): AccessDone => ({ ...emptyAccessResult(), ...extra })

const UPLOAD: AccessStep = { action: 'upload', name: 'partners-ca', hostnames: [] }
const ATTACH: AccessStep = { action: 'attach', hostnames: HOSTS }
const DETACH: AccessStep = { action: 'detach', id: OLD, name: 'old', keep: [], removed: HOSTS, gap: false }
const RETIRE: AccessStep = { action: 'retire', id: OLD, name: 'old', hostnames: HOSTS }
const KEEP: AccessStep = { action: 'keep', id: OTHER, name: 'other', reason: 'it still serves x.example.com' }

describe('reportAccess: the placement', () => {
  it('plans an upload, an attach and a detach, the id unknown before the upload', () => {
    const report = reportAccess(place([UPLOAD, ATTACH, DETACH]), undefined, entry, 'main')
    expect(report.rows).toEqual([
      { name: '', action: 'upload', store: STORE },
      { name: '', action: 'note', store: STORE, reason: SHARED_HOSTNAME_CAVEAT },
      { name: '', action: 'attach', store: STORE, hostnames: HOSTS },
      { name: '', action: 'detach', store: STORE, id: OLD, hostnames: HOSTS, reason: 'moved to the new CA' },
    ])
    expect(report.outputs).toMatchObject({ 'certificate-id': '', created: 'false', ca: 'true', hostnames: HOSTS })
    expect(report.lines).toEqual([])
    // Done, the caveat has nothing left to warn of.
    const done = reportAccess(place([UPLOAD, ATTACH, DETACH]), { ...emptyAccessResult(), id: NEW }, entry, 'main')
    expect(done.rows.map((row) => row.action)).toEqual(['upload', 'attach', 'detach'])
  })

  it('shows the new id once done, with the outcome’s lines and warnings', () => {
    const outcome = done({ id: NEW, uploaded: true, lines: ['Uploaded.'], warnings: ['Careful.'] })
    const report = reportAccess(place([{ ...UPLOAD, hostnames: HOSTS }]), outcome, entry, 'main')
    expect(report.rows).toEqual([{ name: '', action: 'upload', store: STORE, id: NEW, hostnames: HOSTS }])
    expect(report.outputs).toEqual({
      'certificate-id': NEW,
      'expires-on': 'E',
      issuer: 'I',
      'serial-number': 'S',
      signature: 'G',
      name: 'partners-ca',
      ca: 'true',
      'fingerprint-sha256': 'F',
      'uploaded-on': '',
      created: 'true',
      hostnames: HOSTS,
    })
    expect(report.lines).toEqual([
      { level: 'info', parts: ['Uploaded.'] },
      { level: 'warning', parts: ['Careful.'] },
    ])
  })

  it("plans a reuse with the CA's id as certificate-id, before anything is done", () => {
    const report = reportAccess(place([{ action: 'reuse', id: NEW, name: 'partners-ca' }]), undefined, entry, 'main')
    expect(report.rows).toEqual([
      { name: '', action: 'reuse', store: STORE, id: NEW, reason: 'same CA already in Access' },
    ])
    expect(report.outputs).toMatchObject({ 'certificate-id': NEW, created: 'false' })
  })

  it('says the gap of swap: detach-first on the detach, and as a note before it, so a reviewer reads it first', () => {
    const gap = 'swap: detach-first: 1 hostname (app.example.com) will have no Access CA …'
    const report = reportAccess(place([UPLOAD, { ...DETACH, gap: true }, ATTACH], { gap }), undefined, entry, 'main')
    expect(report.rows.map((r) => r.reason)).toEqual([
      undefined,
      gap,
      'swap: detach-first, before the attach: no CA in between',
      undefined,
    ])
    expect(report.rows[1]).toEqual({ name: '', action: 'note', store: STORE, reason: gap })
    // With no detach to say it before (nothing to move), the note comes after the rows.
    const reuse: AccessStep = { action: 'reuse', id: NEW, name: 'partners-ca' }
    expect(reportAccess(place([reuse], { gap }), undefined, entry, 'main').rows.map((r) => r.action)).toEqual([
      'reuse',
      'note',
    ])
  })

  it('shows what an attach takes off the reused CA as a detach row, with the reused id on both before the run', () => {
    const reuse: AccessStep = { action: 'reuse', id: NEW, name: 'partners-ca' }
    const attach: AccessStep = { ...ATTACH, drops: ['extra.example.com'] }
    expect(reportAccess(place([reuse, attach]), undefined, entry, 'main').rows).toEqual([
      { name: '', action: 'reuse', store: STORE, id: NEW, reason: 'same CA already in Access' },
      { name: '', action: 'attach', store: STORE, id: NEW, hostnames: HOSTS },
      {
        name: '',
        action: 'detach',
        store: STORE,
        id: NEW,
        hostnames: ['extra.example.com'],
        reason: 'not in the entry: this run gives them to no other CA',
      },
    ])
  })

  it('gives when Cloudflare stored the CA: the reused one as planned, the upload once done', () => {
    const reuse: AccessStep = { action: 'reuse', id: NEW, name: 'partners-ca', uploadedOn: '2025-01-01T00:00:00Z' }
    expect(reportAccess(place([reuse]), undefined, entry, 'main').outputs['uploaded-on']).toBe('2025-01-01T00:00:00Z')
    expect(reportAccess(place([UPLOAD]), undefined, entry, 'main').outputs['uploaded-on']).toBe('')
    const uploaded = done({ id: NEW, uploaded: true, uploadedOn: '2026-12-07T20:00:00Z' })
    expect(reportAccess(place([UPLOAD]), uploaded, saved, 'main').outputs).toEqual({
      'certificate-id': NEW,
      'uploaded-on': '2026-12-07T20:00:00Z',
    })
  })

  it('names the zone of a zone-wide CA, and gives only certificate-id for an entry without its spec', () => {
    const zoned = place([ATTACH], { owner: { zoneId: ZONE_ID } })
    expect(reportAccess(zoned, undefined, entry, 'main').rows[0]?.store).toBe(`Access, zone ${ZONE_ID}`)
    expect(reportAccess(place([UPLOAD]), done({ id: NEW }), saved, 'post').outputs).toEqual({
      'certificate-id': NEW,
      'uploaded-on': '',
    })
  })
})

describe('reportAccess: the retire', () => {
  it('plans the deletes for the end of the job, and the keeps with their reasons', () => {
    const report = reportAccess(retire('end-of-job', [RETIRE, KEEP]), undefined, entry, 'main')
    expect(report.rows).toEqual([
      {
        name: '',
        action: 'retire',
        store: STORE,
        id: OLD,
        reason: 'detached, then deleted once Cloudflare reads it without hostnames',
        when: 'end-of-job',
      },
      { name: '', action: 'keep', store: STORE, id: OTHER, reason: 'it still serves x.example.com' },
    ])
    expect(report.outputs).toEqual({ 'replaced-ids': [], 'replace-candidates': [] })
  })

  it('in the main step, scheduled for the end of the job: still planned, and the deletes are candidates', () => {
    const step = retire('end-of-job', [RETIRE, KEEP])
    const report = reportAccess(step, done({ tail: step }), entry, 'main')
    expect(report.rows[0]?.when).toBe('end-of-job')
    expect(report.outputs).toEqual({ 'replaced-ids': [], 'replace-candidates': [OLD] })
  })

  it('carried out (now, or in the post step): what was deleted, and what was kept with why', () => {
    const step = retire('now', [RETIRE])
    const deleted = done({ retired: [{ id: OLD, outcome: 'deleted', waitedMs: 0 }] })
    const now = reportAccess(step, deleted, entry, 'main')
    expect(now.rows).toEqual([expect.objectContaining({ action: 'retire', id: OLD })])
    expect(now.rows[0]).not.toHaveProperty('when')
    expect(now.outputs).toEqual({ 'replaced-ids': [OLD], 'replace-candidates': [] })

    const kept = done({ retired: [{ id: OLD, outcome: 'kept', reason: 'timeout-seconds ran out' }] })
    const post = reportAccess(retire('end-of-job', [RETIRE]), kept, saved, 'post')
    expect(post.rows).toEqual([{ name: '', action: 'keep', store: STORE, id: OLD, reason: 'timeout-seconds ran out' }])
    expect(post.outputs).toEqual({ 'replaced-ids': [], 'replace-candidates': [] })
  })
})

describe("reportAccess: the post step's job summary", () => {
  const step: Step<AccessRetireData> = {
    ...retire('end-of-job', []),
    data: {
      owner: { zoneId: ZONE_ID },
      rotation: { name: 'partners-ca', id: NEW },
      steps: [RETIRE, { ...RETIRE, id: OTHER, name: 'older' }],
    },
  }
  const outcome = done({
    retired: [
      { id: OLD, outcome: 'deleted', waitedMs: 2000 },
      { id: OTHER, outcome: 'kept', reason: 'kept for a later run: timeout-seconds ran out' },
    ],
  })

  it('gives a section: each old CA deleted or kept, and why, under the CA that replaced it', () => {
    expect(reportAccess(step, outcome, saved, 'post').sections).toEqual([
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
  })

  it('adds no section in the main step, where the plan table says it', () => {
    expect(reportAccess(step, done({ tail: step }), entry, 'main').sections).toEqual([])
    expect(reportAccess(step, undefined, entry, 'main').sections).toEqual([])
  })
})
