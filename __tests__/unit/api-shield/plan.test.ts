import { describe, expect, it } from 'vitest'
import { needsWrite, planAttach, planRelease } from '../../../src/api-shield/plan.ts'

describe('attach', () => {
  it('adds the given hostnames the CA lacks and keeps every hostname it has', () => {
    const plan = planAttach(['legacy.example.com', 'api.example.com'], ['api.example.com', 'mtls.example.com'])
    expect(plan).toEqual({
      after: ['legacy.example.com', 'api.example.com', 'mtls.example.com'],
      attached: ['mtls.example.com'],
      alreadyThere: ['api.example.com'],
    })
    expect(needsWrite(plan)).toBe(true)
  })

  it('writes nothing when every given hostname is there, whatever case Cloudflare answers in', () => {
    const plan = planAttach(['API.example.com', 'other.example.com'], ['api.example.com'])
    expect(needsWrite(plan)).toBe(false)
    expect(plan.after).toEqual(['API.example.com', 'other.example.com'])
    expect(plan.alreadyThere).toEqual(['api.example.com'])
  })

  it('treats a wildcard as its own entry', () => {
    expect(planAttach(['*.example.com'], ['api.example.com']).attached).toEqual(['api.example.com'])
  })

  it('lists each hostname once, even when the answer repeats one', () => {
    expect(planAttach(['a.example.com', 'a.example.com'], ['b.example.com', 'b.example.com']).after).toEqual([
      'a.example.com',
      'b.example.com',
    ])
  })
})

describe('release', () => {
  it('detaches what the new CA serves and keeps the rest', () => {
    expect(planRelease(['api.example.com', 'partner.example.com'], ['api.example.com', 'mtls.example.com'])).toEqual({
      detach: ['api.example.com'],
      keep: ['partner.example.com'],
    })
  })

  it('detaches nothing from an old CA with no hostname in the zone', () => {
    expect(planRelease([], ['api.example.com'])).toEqual({ detach: [], keep: [] })
  })
})
