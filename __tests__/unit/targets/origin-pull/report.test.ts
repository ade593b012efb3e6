import { lineText } from '../../../../src/render/words.ts'
import { describe, expect, it } from 'vitest'
import type { CheckedCertificate } from '../../../../src/certificate/check.ts'
import type { CertificateSpec } from '../../../../src/certificate/spec.ts'
import { emptyOriginPullResult } from '../../../../src/origin-pull/apply.ts'
import type { OriginPullStep } from '../../../../src/origin-pull/plan.ts'
import type { EntryPlan, Step } from '../../../../src/plan/step.ts'
import type { Report } from '../../../../src/core/report.ts'
import type {
  OriginPullDone,
  OriginPullMoveData,
  OriginPullPlaceData,
  OriginPullRetireData,
} from '../../../../src/targets/origin-pull/data.ts'
import { reportOriginPull as reportStep } from '../../../../src/targets/origin-pull/report.ts'
import { ZONE_ID } from '../../../../test-kit/fixtures.ts'

const NEW = '2458ce5a0c354c7f82c78e9487d3ff60'
const OLD = '0123456789abcdef0123456789abcdef'
const OTHER = 'ffffffffffffffffffffffffffffffff'
const HOST = 'a.example.com'
const PER_HOSTNAME = `origin pulls, zone ${ZONE_ID}, per hostname`
const ZONE_LEVEL = `origin pulls, zone ${ZONE_ID}, zone-level`
const facts = { expiresOn: 'E', issuer: 'I', serialNumber: 'S', signature: 'G', fingerprintSha256: 'F' }

const entry: EntryPlan = {
  name: 'origin',
  steps: [],
  spec: { store: 'origin-pull', name: 'origin', ca: false, replace: true } as CertificateSpec,
  checked: { facts } as unknown as CheckedCertificate,
}
const saved = { name: 'origin', steps: [] }

/** A placement as the store plans it: the upload or reuse, and its move (point, wait) planned with it. */
const place = (steps: OriginPullStep[], hostnames = [HOST], notes: string[] = []): Step<OriginPullPlaceData> => {
  const isPlacing = (step: OriginPullStep): boolean => step.action === 'upload' || step.action === 'reuse'
  const reused = steps.find((step) => step.action === 'reuse')
  const moves: OriginPullMoveData = {
    zoneId: ZONE_ID,
    hostnames,
    steps: steps.filter((step) => !isPlacing(step)),
    ...(reused?.action === 'reuse' ? { reused: reused.id } : {}),
  }
  const data = { zoneId: ZONE_ID, hostnames, steps: steps.filter(isPlacing), moves, later: [], notes }
  return { target: 'origin-pull', action: 'place', when: 'now', data }
}

/**
 * The placement's report and, when it has one, its move step's, joined as entryReport joins an
 * entry's steps: the outcome is the one both were carried out to.
 */
function reportOriginPull(
  step: Step,
  outcome: OriginPullDone | undefined,
  on: EntryPlan | typeof saved,
  phase: 'main' | 'post',
): Report {
  if (step.action !== 'place') return reportStep(step, outcome, on, phase)
  const placed = reportStep(step, outcome, on, phase)
  const { moves } = (step as Step<OriginPullPlaceData>).data
  if (moves.steps.length === 0) return placed
  const move: Step<OriginPullMoveData> = { target: 'origin-pull', action: 'move', when: 'now', data: moves }
  const moved = reportStep(move, outcome, on, phase)
  // One outcome stands for both steps here: its lines are said once.
  return { ...placed, rows: [...placed.rows, ...moved.rows] }
}
const retire = (when: Step['when'], steps: OriginPullStep[], hostnames = [HOST]): Step<OriginPullRetireData> => ({
  target: 'origin-pull',
  action: 'retire',
  when,
  data: { zoneId: ZONE_ID, hostnames, rotation: { name: 'origin' }, steps },
})
const done = (extra: Partial<OriginPullDone> = {}): OriginPullDone => ({ ...emptyOriginPullResult(), ...extra })

const WAIT = 'waits until Cloudflare reads it active, before anything is retired'
const RETIRE: OriginPullStep = { action: 'retire', id: OLD, reason: `it served ${HOST}` }
const KEEP: OriginPullStep = { action: 'keep', id: OTHER, reason: 'replace is off' }

describe('reportOriginPull: the placement', () => {
  it('plans per hostname: upload, point, wait, with the id unknown before the upload', () => {
    const steps: OriginPullStep[] = [
      { action: 'upload' },
      { action: 'attach', hostnames: [HOST] },
      { action: 'wait', hostnames: [HOST] },
    ]
    const report = reportOriginPull(place(steps), undefined, entry, 'main')
    expect(report.rows).toEqual([
      { name: '', action: 'upload', store: PER_HOSTNAME },
      { name: '', action: 'attach', store: PER_HOSTNAME, hostnames: [HOST] },
      { name: '', action: 'note', store: PER_HOSTNAME, hostnames: [HOST], reason: WAIT },
    ])
    expect(report.outputs).toMatchObject({ 'certificate-id': '', created: 'false', ca: 'false', hostnames: [HOST] })
  })

  it('shows the id once done, the outcome’s lines, and every output', () => {
    const outcome = done({ id: NEW, uploaded: true, lines: ['Uploaded.'], warnings: ['Off.'] })
    const report = reportOriginPull(
      place([{ action: 'upload' }, { action: 'wait', hostnames: [] }], []),
      outcome,
      entry,
      'main',
    )
    expect(report.rows).toEqual([
      { name: '', action: 'upload', store: ZONE_LEVEL, id: NEW },
      // Done, the wait says what it found, not what it waits for.
      { name: '', action: 'note', store: ZONE_LEVEL, id: NEW, reason: 'Cloudflare reads it active' },
    ])
    expect(report.outputs).toEqual({
      'certificate-id': NEW,
      'expires-on': 'E',
      issuer: 'I',
      'serial-number': 'S',
      signature: 'G',
      'uploaded-on': '',
      name: 'origin',
      ca: 'false',
      'fingerprint-sha256': 'F',
      created: 'true',
      hostnames: [],
    })
    expect(report.lines).toEqual([
      { level: 'info', parts: ['Uploaded.'] },
      { level: 'warning', parts: ['Off.'] },
    ])
  })

  it("plans a reuse with the certificate's id, and adds the plan's notes as rows", () => {
    const report = reportOriginPull(
      place([{ action: 'reuse', id: NEW }], [], ['Zone-level pulls are off.']),
      undefined,
      entry,
      'main',
    )
    expect(report.rows).toEqual([
      { name: '', action: 'reuse', store: ZONE_LEVEL, id: NEW, reason: 'same certificate already in origin pulls' },
      { name: '', action: 'note', store: ZONE_LEVEL, reason: 'Zone-level pulls are off.' },
    ])
    expect(report.outputs['certificate-id']).toBe(NEW)
  })

  it('gives only certificate-id for an entry without its spec', () => {
    expect(reportOriginPull(place([{ action: 'upload' }]), done({ id: NEW }), saved, 'post').outputs).toEqual({
      'certificate-id': NEW,
    })
  })
})

describe('reportOriginPull: the retire', () => {
  it('plans the deletes for the end of the job, and the keeps with their reasons', () => {
    const report = reportOriginPull(retire('end-of-job', [RETIRE, KEEP]), undefined, entry, 'main')
    expect(report.rows).toEqual([
      {
        name: '',
        action: 'retire',
        store: PER_HOSTNAME,
        id: OLD,
        reason: `it served ${HOST}; deleted once the new one is active`,
        when: 'end-of-job',
      },
      { name: '', action: 'keep', store: PER_HOSTNAME, id: OTHER, reason: 'replace is off' },
    ])
    expect(report.outputs).toEqual({ 'replaced-ids': [], 'replace-candidates': [] })
  })

  it('in the main step, scheduled for the end of the job: still planned, the deletes are candidates', () => {
    const step = retire('end-of-job', [RETIRE, KEEP])
    const report = reportOriginPull(step, done({ tail: step }), entry, 'main')
    expect(report.rows[0]?.when).toBe('end-of-job')
    expect(report.outputs).toEqual({ 'replaced-ids': [], 'replace-candidates': [OLD] })
  })

  it('in the main step, per hostname, names the old certificate no later run finds should the post step not run', () => {
    const step = retire('end-of-job', [RETIRE, KEEP])
    const notices = reportOriginPull(step, done({ tail: step }), entry, 'main').lines.filter(
      (l) => l.level === 'notice',
    )
    expect(notices.map((line) => lineText(line.parts))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Origin pull certificate ${OLD} will be deleted at the end of the job.*no later run finds it.*delete it by hand`,
        ),
      ),
    ])
    // Zone-level, a later run finds the older active ones again; at once, or in the post step, nothing is left to say.
    const zoneLevel = retire('end-of-job', [RETIRE], [])
    expect(reportOriginPull(zoneLevel, done({ tail: zoneLevel }), entry, 'main').lines).toEqual([])
    expect(reportOriginPull(step, done({ tail: step }), entry, 'post').lines).toEqual([])
    expect(reportOriginPull(retire('now', [RETIRE]), done({ deleted: [OLD] }), entry, 'main').lines).toEqual([])
  })

  it('carried out: a delete done reads as a retire, one not done as a keep pointing at the warning', () => {
    const now = reportOriginPull(retire('now', [RETIRE]), done({ deleted: [OLD] }), entry, 'main')
    expect(now.rows).toEqual([expect.objectContaining({ action: 'retire', id: OLD })])
    expect(now.rows[0]).not.toHaveProperty('when')
    expect(now.outputs).toEqual({ 'replaced-ids': [OLD], 'replace-candidates': [] })

    const post = reportOriginPull(retire('end-of-job', [RETIRE], []), done({ warnings: ['kept'] }), saved, 'post')
    expect(post.rows).toEqual([
      { name: '', action: 'keep', store: ZONE_LEVEL, id: OLD, reason: 'not deleted: see the warning' },
    ])
    expect(post.lines).toEqual([{ level: 'warning', parts: ['kept'] }])
  })
})
