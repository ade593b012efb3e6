import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { findAccessCertificate, planAccess, type AccessSpec } from '../../../src/access/plan.ts'
import type { AccessCertificate } from '../../../src/cloudflare/access/answers.ts'
import { makeClient } from '../../../test-kit/fixtures.ts'

const CA = makeClient().ca
const fingerprint = `MD5 Fingerprint=${(createHash('md5').update(CA.der).digest('hex').toUpperCase().match(/../g) ?? []).join(':')}`
const HOSTS = ['app.example.com', 'admin.example.com']
const spec = (extra: Partial<AccessSpec> = {}): AccessSpec => ({
  name: 'partners-ca',
  certificate: CA.pem,
  hostnames: HOSTS,
  retire: true,
  ...extra,
})
const old = (extra: Partial<AccessCertificate> = {}): AccessCertificate => ({
  id: 'old',
  name: 'partners-ca',
  associatedHostnames: HOSTS,
  ...extra,
})

describe('planAccess', () => {
  it("moves the hostnames off a CA of another name, but retires only the entry's own earlier CAs", () => {
    const theirs = old({ id: 'theirs', name: 'hand-made-ca' })
    const steps = planAccess(spec(), [theirs]).steps
    expect(steps.map((step) => step.action)).toEqual(['upload', 'attach', 'detach', 'keep'])
    expect(steps.at(-1)).toMatchObject({
      id: 'theirs',
      reason: expect.stringMatching(/^it is named 'hand-made-ca', not 'partners-ca'/),
    })
    expect(planAccess(spec(), [old()]).steps.at(-1)).toMatchObject({ action: 'retire', id: 'old' })
  })

  it('uploads with the hostnames when no other CA holds them', () => {
    expect(planAccess(spec(), []).steps).toEqual([{ action: 'upload', name: 'partners-ca', hostnames: HOSTS }])
  })

  it('adopts the CA by its MD5 fingerprint, and attaches only what it lacks', () => {
    const mine = { id: 'mine', name: 'partners-ca', fingerprint, associatedHostnames: ['app.example.com'] }
    expect(findAccessCertificate([mine], CA.pem)?.id).toBe('mine')
    expect(planAccess(spec(), [mine]).steps).toEqual([
      { action: 'reuse', id: 'mine', name: 'partners-ca' },
      { action: 'attach', hostnames: HOSTS },
    ])
    expect(planAccess(spec(), [{ ...mine, associatedHostnames: [...HOSTS].reverse() }]).steps).toEqual([
      { action: 'reuse', id: 'mine', name: 'partners-ca' },
    ])
  })

  it('says which hostnames the reused CA loses, beyond the ones it is given (no other CA gets them)', () => {
    const mine = { id: 'mine', name: 'partners-ca', fingerprint, associatedHostnames: ['Extra.example.com', ...HOSTS] }
    expect(planAccess(spec(), [mine]).steps).toEqual([
      { action: 'reuse', id: 'mine', name: 'partners-ca' },
      { action: 'attach', hostnames: HOSTS, drops: ['Extra.example.com'] },
    ])
    expect(planAccess(spec({ hostnames: [] }), [mine]).steps[1]).toEqual({
      action: 'attach',
      hostnames: [],
      drops: mine.associatedHostnames,
    })
  })

  it("carries when Cloudflare stored the CA it reuses, when it says (the single step's uploaded-on)", () => {
    const mine = { id: 'mine', name: 'partners-ca', fingerprint, associatedHostnames: HOSTS }
    expect(planAccess(spec(), [{ ...mine, createdAt: '2026-01-01T00:00:00Z' }]).steps).toEqual([
      { action: 'reuse', id: 'mine', name: 'partners-ca', uploadedOn: '2026-01-01T00:00:00Z' },
    ])
  })

  it('makes before it breaks: upload bare, attach, detach the old CA, retire it', () => {
    expect(planAccess(spec(), [old()]).steps).toEqual([
      { action: 'upload', name: 'partners-ca', hostnames: [] },
      { action: 'attach', hostnames: HOSTS },
      { action: 'detach', id: 'old', name: 'partners-ca', keep: [], removed: HOSTS, gap: false },
      { action: 'retire', id: 'old', name: 'partners-ca', hostnames: HOSTS },
    ])
  })

  it('with swap: detach-first, detaches first and says the gap', () => {
    const plan = planAccess(spec({ swap: 'detach-first' }), [old()])
    expect(plan.steps.map((s) => s.action)).toEqual(['upload', 'detach', 'attach', 'retire'])
    expect(plan.steps[1]).toMatchObject({ gap: true })
    expect(plan.notes).toEqual([
      expect.stringContaining('2 hostnames (app.example.com, admin.example.com) will have no Access CA'),
    ])
  })

  it('keeps an old CA that serves other hostnames, and every old CA when replace is off', () => {
    const shared = old({ name: 'other', associatedHostnames: ['app.example.com', 'other.example.com'] })
    const plan = planAccess(spec(), [shared])
    expect(plan.steps).toContainEqual({
      action: 'detach',
      id: 'old',
      name: 'other',
      keep: ['other.example.com'],
      removed: ['app.example.com'],
      gap: false,
    })
    expect(plan.steps).toContainEqual({
      action: 'keep',
      id: 'old',
      name: 'other',
      reason: 'it still serves other.example.com',
    })
    expect(planAccess(spec({ retire: false }), [old()]).steps.at(-1)).toEqual({
      action: 'keep',
      id: 'old',
      name: 'partners-ca',
      reason: 'replace is off',
    })
  })

  it('leaves unrelated CAs alone, and refuses an upload past the limit or of a PEM that holds no certificate', () => {
    expect(
      planAccess(spec(), [{ id: 'x', name: 'unrelated', associatedHostnames: ['x.example.com'] }]).steps,
    ).toHaveLength(1)
    const full = Array.from({ length: 50 }, (_, i) => ({ id: String(i) }))
    expect(planAccess(spec(), full).problems).toEqual([expect.stringContaining("Cloudflare's limit of 50")])
    expect(planAccess(spec({ certificate: 'nothing' }), []).problems[0]).toContain('holds no certificate that parses')
  })
})
