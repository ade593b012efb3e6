import { describe, expect, it } from 'vitest'
import {
  GITHUB_COMMENT_LIMIT,
  failureCommentBody,
  framedBody,
  planCommentBody,
  planHeadline,
  utcTime,
  withoutTime,
  type CommentFrame,
} from '../../../src/render/comment-body.ts'
import { planMarker, renderPlanMarkdown, type PlanRow } from '../../../src/render/plan-table.ts'

const FRAME: CommentFrame = {
  manifestPath: 'deploy/manifest.yml',
  commit: '3f786850e387550fdab836ed7e6dc881de23001b',
  commitUrl: 'https://github.com/acme/c/commit/3f786850e387550fdab836ed7e6dc881de23001b',
  at: new Date('2026-12-07T09:05:59Z'),
  runUrl: 'https://github.com/acme/c/actions/runs/9',
}
const ROWS: PlanRow[] = [{ name: 'payments-client', action: 'upload' }]
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

describe('planCommentBody', () => {
  it('opens with the marker and heading, then the commit and the time in UTC', () => {
    const lines = planCommentBody(ROWS, [], FRAME).split('\n')
    expect(lines[0]).toBe(planMarker('deploy/manifest.yml'))
    expect(lines[1]).toBe('### mTLS certificates: plan for `deploy/manifest.yml`')
    expect(lines[3]).toBe(
      'Planned for commit [`3f786850e387`](<https://github.com/acme/c/commit/3f786850e387550fdab836ed7e6dc881de23001b>) at 2026-12-07 09:05 UTC.',
    )
    expect(lines[5]).toBe('1 change to make.')
  })

  it('says so when the event named no commit', () => {
    expect(planCommentBody(ROWS, [], { ...FRAME, commit: undefined })).toContain(
      "Planned for the pull request's head commit (the event named none) at",
    )
  })

  it('fits the limit in bytes even when the failed entries alone would not, saying how many are left out', () => {
    const failed = Array.from({ length: 200 }, (_, n) => ({ name: `e${n}`, line: n, message: '€'.repeat(5000) }))
    const rows = Array.from({ length: 10 }, (_, n): PlanRow => ({ name: `r${n}`, action: 'upload' }))
    const body = planCommentBody(rows, failed, FRAME)
    expect(bytes(body)).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT)
    expect(body).toMatch(/_\d+ failed entries of 200 left out/)
    expect(body.split('\n').filter((line) => line.startsWith('- `e')).length).toBeGreaterThan(3)
    // A message is cut to 2,000 characters, saying so.
    expect(body).toContain('… (cut)')
  })

  it('keeps every row when they fit', () => {
    const rows = Array.from({ length: 300 }, (_, n): PlanRow => ({ name: `r${n}`, action: 'upload' }))
    const body = planCommentBody(rows, [], FRAME)
    expect(body.split('\n').filter((line) => line.startsWith('| `r'))).toHaveLength(300)
    expect(body).not.toContain('left out')
  })
})

describe('withoutTime', () => {
  it('leaves the time out, and nothing else', () => {
    const a = planCommentBody(ROWS, [], FRAME)
    const b = planCommentBody(ROWS, [], { ...FRAME, at: new Date('2026-12-08T10:00:00Z') })
    expect(a).not.toBe(b)
    expect(withoutTime(a)).toBe(withoutTime(b))
    expect(withoutTime(a)).not.toBe(withoutTime(planCommentBody(ROWS, [], { ...FRAME, commit: 'a'.repeat(40) })))
  })
})

describe('failureCommentBody', () => {
  it('says the plan failed, for which commit and when, with the error in a code block and a link to the run', () => {
    const body = failureCommentBody('Input x is wrong\nsecond line', FRAME)
    expect(body).toContain('**The plan failed** for commit [`3f786850e387`]')
    expect(body).toContain(`at ${utcTime(FRAME.at)}`)
    expect(body).toContain('```\nInput x is wrong\nsecond line\n```')
    expect(body).toContain('[the run](<https://github.com/acme/c/actions/runs/9>)')
  })
})

describe('framedBody', () => {
  it('puts the commit and time after the heading of a plan the caller rendered', () => {
    const body = framedBody(renderPlanMarkdown(ROWS, 'deploy/manifest.yml'), FRAME)
    const lines = body.split('\n')
    expect(lines[0]).toBe(planMarker('deploy/manifest.yml'))
    expect(lines[3]).toMatch(/^Planned for commit .* at 2026-12-07 09:05 UTC\.$/)
    expect(body).toContain('| `payments-client` | `upload` |')
  })
})

describe('planHeadline', () => {
  it('never says "no changes" when entries failed', () => {
    expect(planHeadline([], 0)).toBe('No changes: the account matches the manifest.')
    expect(planHeadline([], 2)).toBe('2 entries failed, so the plan is incomplete: no changes planned for the others.')
    expect(planHeadline(ROWS, 1)).toBe('1 entry failed, so the plan is incomplete: 1 change planned for the others.')
  })
})
