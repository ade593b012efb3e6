import { describe, expect, it } from 'vitest'
import { findOriginCertificate, planHostnameOriginPull, planZoneOriginPull } from '../../../src/origin-pull/plan.ts'
import { makeClient } from '../../../test-kit/fixtures.ts'

const { client, ca } = makeClient()
const ZONE = '9a7806061c88ada191ed06f989cc3dac'
const HOSTS = ['a.example.com', 'b.example.com']
const spec = (hostnames: string[] = HOSTS, retire = true) => ({ certificate: client.pem, hostnames, retire })

describe('planHostnameOriginPull', () => {
  it('uploads, attaches, waits, then retires what the hostnames pointed at', () => {
    const observed = {
      certificates: [{ id: 'old', status: 'active', certificate: ca.pem }],
      assignments: [
        { hostname: 'a.example.com', certId: 'old', status: 'active', enabled: true },
        { hostname: 'b.example.com' },
      ],
    }
    expect(planHostnameOriginPull(spec(), ZONE, observed).steps).toEqual([
      { action: 'upload' },
      // What a.example.com served before: pointed back at should the new one's deployment time out.
      { action: 'attach', hostnames: HOSTS, from: [{ hostname: 'a.example.com', id: 'old' }] },
      { action: 'wait', hostnames: HOSTS },
      { action: 'retire', id: 'old', reason: 'it served a.example.com' },
    ])
    expect(planHostnameOriginPull(spec(HOSTS, false), ZONE, observed).steps.at(-1)).toEqual({
      action: 'keep',
      id: 'old',
      reason: 'it served a.example.com; replace is off',
    })
  })

  it('adopts the certificate by its DER and does nothing when every hostname serves it', () => {
    const mine = { id: 'mine', status: 'active', certificate: client.pem.replace(/\n/g, '\r\n') }
    expect(findOriginCertificate([mine], client.pem)?.id).toBe('mine')
    const assignments = HOSTS.map((hostname) => ({ hostname, certId: 'mine', status: 'active', enabled: true }))
    expect(planHostnameOriginPull(spec(), ZONE, { certificates: [mine], assignments }).steps).toEqual([
      { action: 'reuse', id: 'mine' },
    ])
    // When Cloudflare says it was uploaded goes with the reuse, for the step's uploaded-on output.
    const dated = { ...mine, uploadedOn: '2026-11-30T08:00:00Z' }
    expect(planHostnameOriginPull(spec(), ZONE, { certificates: [dated], assignments }).steps).toEqual([
      { action: 'reuse', id: 'mine', uploadedOn: '2026-11-30T08:00:00Z' },
    ])
    const pending = assignments.map((a) => ({ ...a, status: 'pending_deployment' }))
    expect(planHostnameOriginPull(spec(), ZONE, { certificates: [mine], assignments: pending }).steps).toEqual([
      { action: 'reuse', id: 'mine' },
      { action: 'wait', hostnames: HOSTS },
    ])
  })

  it('points a hostname whose deployment timed out at the certificate again, rather than only waiting on it', () => {
    const mine = { id: 'mine', status: 'active', certificate: client.pem }
    const assignments = [
      { hostname: 'a.example.com', certId: 'mine', status: 'active', enabled: true },
      { hostname: 'b.example.com', certId: 'mine', status: 'deployment_timed_out', enabled: true },
    ]
    expect(planHostnameOriginPull(spec(), ZONE, { certificates: [mine], assignments }).steps).toEqual([
      { action: 'reuse', id: 'mine' },
      { action: 'attach', hostnames: ['b.example.com'] },
      { action: 'wait', hostnames: ['b.example.com'] },
    ])
    const certTimedOut = assignments.map((a) =>
      a.hostname === 'b.example.com' ? { ...a, status: 'active', certStatus: 'deployment_timed_out' } : a,
    )
    expect(planHostnameOriginPull(spec(), ZONE, { certificates: [mine], assignments: certTimedOut }).steps[1]).toEqual({
      action: 'attach',
      hostnames: ['b.example.com'],
    })
  })

  it('refuses an upload when the zone holds 10 certificates', () => {
    const full = Array.from({ length: 10 }, (_, i) => ({ id: String(i), status: 'active' }))
    expect(planHostnameOriginPull(spec(), ZONE, { certificates: full, assignments: [] }).problems).toEqual([
      expect.stringContaining("Cloudflare's limit of 10"),
    ])
  })
})

describe('planZoneOriginPull', () => {
  it('uploads, waits, and retires only what was active before', () => {
    const certificates = [
      { id: 'old', status: 'active', certificate: ca.pem },
      { id: 'deploying', status: 'pending_deployment' },
    ]
    const plan = planZoneOriginPull(spec([]), ZONE, { certificates, enabled: true })
    expect(plan.steps).toEqual([
      { action: 'upload' },
      { action: 'wait', hostnames: [] },
      { action: 'retire', id: 'old', reason: 'it was the zone-level certificate before' },
    ])
    expect(plan.notes).toEqual([])
  })

  it('reuses, and waits on, its own certificate whose deployment timed out: a re-run reads the same status', () => {
    const certificates = [{ id: 'mine', status: 'deployment_timed_out', certificate: client.pem }]
    const plan = planZoneOriginPull(spec([]), ZONE, { certificates, enabled: true })
    expect(plan.steps).toEqual([
      { action: 'reuse', id: 'mine' },
      { action: 'wait', hostnames: [] },
    ])
  })

  it('never retires its own certificate, and says when zone-level pulls are off', () => {
    const certificates = [{ id: 'mine', status: 'active', certificate: client.pem }]
    const plan = planZoneOriginPull(spec([]), ZONE, { certificates, enabled: false })
    expect(plan.steps).toEqual([{ action: 'reuse', id: 'mine' }])
    expect(plan.notes[0]).toContain(`Zone-level Authenticated Origin Pulls is off in zone ${ZONE}`)
  })
})
