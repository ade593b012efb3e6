import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto'

/**
 * The stand-in's Authenticated Origin Pulls, zone-level and per hostname, in Cloudflare's shapes:
 * certificates (never their keys) move `initializing` → `pending_deployment` → `active` one step every
 * `statusLag` reads; a hostname in `timeOut` ends in `deployment_timed_out`; at most 10 per-hostname
 * certificates per zone. Imports nothing from src/.
 */

interface Progress {
  stage: number
  reads: number
}

export interface StoredOriginCertificate extends Progress {
  id: string
  certificate: string
  /** Kept to check what was sent; never answered. */
  private_key: string
  expires_on: string
  issuer: string
  serial_number: string
  signature: string
  uploaded_on: string
}

export interface StoredAssignment extends Progress {
  hostname: string
  cert_id: string
  enabled: boolean
}

type Answer = [number, string]

const envelope = (result: unknown, errors: { code: number; message: string }[] = []): string =>
  JSON.stringify({ success: errors.length === 0, errors, messages: [], result: errors.length === 0 ? result : null })
const refused = (status: number, code: number, message: string): Answer => [status, envelope(null, [{ code, message }])]
const STAGES = ['initializing', 'pending_deployment', 'active'] as const
/** Ids as this part of the API describes them: 32 hex digits. */
const newId = (): string => randomBytes(16).toString('hex')

export class FakeOriginPull {
  /** Per zone, by id. */
  readonly zoneCertificates = new Map<string, Map<string, StoredOriginCertificate>>()
  readonly hostnameCertificates = new Map<string, Map<string, StoredOriginCertificate>>()
  /** Per zone, by hostname. */
  readonly assignments = new Map<string, Map<string, StoredAssignment>>()
  /** Zone-level AOP on or off, per zone (off until set). */
  readonly enabled = new Map<string, boolean>()
  /** Reads of a certificate or an assignment before its status moves one step. */
  statusLag = 1
  /** Hostnames whose deployment ends in `deployment_timed_out`. */
  readonly timeOut = new Set<string>()
  hostnameLimit = 10

  reset(): void {
    for (const map of [this.zoneCertificates, this.hostnameCertificates, this.assignments, this.enabled]) map.clear()
    this.timeOut.clear()
    this.statusLag = 1
    this.hostnameLimit = 10
  }

  private of<T>(maps: Map<string, Map<string, T>>, zoneId: string): Map<string, T> {
    const found = maps.get(zoneId) ?? new Map<string, T>()
    maps.set(zoneId, found)
    return found
  }

  /** A certificate stored directly (active at once), as if uploaded earlier. */
  seed(zoneId: string, level: 'zone' | 'hostname', pem: string, key: string): StoredOriginCertificate {
    const stored = this.stored(pem, key)
    stored.stage = STAGES.length - 1
    this.of(level === 'zone' ? this.zoneCertificates : this.hostnameCertificates, zoneId).set(stored.id, stored)
    return stored
  }

  /** A hostname pointed at a certificate directly (active at once). */
  assign(zoneId: string, hostname: string, certId: string): void {
    this.of(this.assignments, zoneId).set(hostname, {
      hostname,
      cert_id: certId,
      enabled: true,
      stage: STAGES.length - 1,
      reads: 0,
    })
  }

  route(method: string, template: string, params: Record<string, string>, body: string): Answer | undefined {
    const prefix = '/zones/{zone_id}/origin_tls_client_auth'
    if (!template.startsWith(prefix)) return undefined
    const zone = params.zone_id ?? ''
    const rest = template.slice(prefix.length)
    const id = params.certificate_id ?? ''
    switch (`${method} ${rest}`) {
      case 'GET ':
        return [200, envelope([...this.of(this.zoneCertificates, zone).values()].map((c) => this.view(c, false, true)))]
      case 'POST ':
        return this.upload(this.of(this.zoneCertificates, zone), body, Infinity, true)
      case 'GET /{certificate_id}':
      case 'DELETE /{certificate_id}':
        return this.one(this.of(this.zoneCertificates, zone), id, method, true)
      case 'GET /settings':
        return [200, envelope({ enabled: this.enabled.get(zone) ?? false })]
      case 'PUT /settings': {
        this.enabled.set(zone, (JSON.parse(body) as { enabled: boolean }).enabled)
        return [200, envelope({ enabled: this.enabled.get(zone) })]
      }
      case 'GET /hostnames/certificates':
        return [
          200,
          envelope([...this.of(this.hostnameCertificates, zone).values()].map((c) => this.view(c, false, false))),
        ]
      case 'POST /hostnames/certificates':
        return this.upload(this.of(this.hostnameCertificates, zone), body, this.hostnameLimit, false)
      case 'GET /hostnames/certificates/{certificate_id}':
      case 'DELETE /hostnames/certificates/{certificate_id}': {
        const inUse = [...this.of(this.assignments, zone).values()].some((a) => a.cert_id === id)
        if (method === 'DELETE' && inUse)
          return refused(400, 1419, 'The certificate is in use by one or more hostnames')
        return this.one(this.of(this.hostnameCertificates, zone), id, method, false)
      }
      case 'PUT /hostnames':
        return this.configure(zone, body)
      case 'GET /hostnames/{hostname}': {
        const assignment = this.of(this.assignments, zone).get(params.hostname ?? '')
        if (!assignment) return refused(404, 1404, 'No hostname association found')
        return [200, envelope(this.assignmentView(zone, assignment, true))]
      }
      default:
        return refused(405, 10405, 'Method not allowed')
    }
  }

  private stored(pem: string, key: string): StoredOriginCertificate {
    const certificate = new X509Certificate(pem)
    return {
      id: newId(),
      certificate: pem,
      private_key: key,
      expires_on: new Date(certificate.validTo).toISOString(),
      issuer: certificate.issuer.split('\n').join(', '),
      serial_number: certificate.serialNumber,
      signature: 'ECDSAWithSHA256',
      uploaded_on: new Date().toISOString(),
      stage: 0,
      reads: 0,
    }
  }

  private upload(store: Map<string, StoredOriginCertificate>, body: string, limit: number, zoneLevel: boolean): Answer {
    const request = JSON.parse(body) as { certificate: string; private_key: string }
    let certificate: X509Certificate
    try {
      certificate = new X509Certificate(request.certificate)
      if (!certificate.checkPrivateKey(createPrivateKey(request.private_key))) throw new Error('mismatch')
    } catch {
      return refused(400, 1413, 'The certificate and private key could not be read, or do not match')
    }
    if (store.size >= limit) return refused(400, 1416, `At most ${limit} certificates per zone`)
    if (
      [...store.values()].some((c) => new X509Certificate(c.certificate).fingerprint256 === certificate.fingerprint256)
    )
      return refused(400, 1471, 'This certificate already exists')
    const stored = this.stored(request.certificate, request.private_key)
    store.set(stored.id, stored)
    return [200, envelope(this.view(stored, false, zoneLevel))]
  }

  private one(store: Map<string, StoredOriginCertificate>, id: string, method: string, zoneLevel: boolean): Answer {
    const stored = store.get(id)
    if (!stored) return refused(404, 1404, 'Certificate not found')
    if (method === 'DELETE') {
      store.delete(id)
      return [200, envelope({ ...this.view(stored, false, zoneLevel), status: 'pending_deletion' })]
    }
    return [200, envelope(this.view(stored, true, zoneLevel))]
  }

  private configure(zone: string, body: string): Answer {
    const { config } = JSON.parse(body) as { config: { hostname: string; cert_id: string; enabled: boolean | null }[] }
    const assignments = this.of(this.assignments, zone)
    for (const item of config) {
      if (item.enabled === null) {
        assignments.delete(item.hostname)
        continue
      }
      if (!this.of(this.hostnameCertificates, zone).has(item.cert_id))
        return refused(404, 1404, `Certificate ${item.cert_id} not found`)
      assignments.set(item.hostname, {
        hostname: item.hostname,
        cert_id: item.cert_id,
        enabled: item.enabled,
        stage: 0,
        reads: 0,
      })
    }
    const result = config.flatMap((item) => {
      const assignment = assignments.get(item.hostname)
      return assignment ? [this.assignmentView(zone, assignment, false)] : []
    })
    return [200, envelope(result)]
  }

  /** The status, moved a step on a counted read once `statusLag` reads have seen the current one. */
  private status(progress: Progress, counts: boolean, timesOut = false): string {
    if (counts && progress.stage < STAGES.length - 1 && ++progress.reads >= this.statusLag) {
      progress.stage++
      progress.reads = 0
    }
    const status = STAGES[progress.stage] ?? 'active'
    return status === 'active' && timesOut ? 'deployment_timed_out' : status
  }

  private view(stored: StoredOriginCertificate, counts: boolean, zoneLevel: boolean): Record<string, unknown> {
    const { private_key: _key, stage: _stage, reads: _reads, ...rest } = stored
    const status = this.status(stored, counts)
    return zoneLevel ? { ...rest, status, enabled: status === 'active' } : { ...rest, status }
  }

  private assignmentView(zone: string, assignment: StoredAssignment, counts: boolean): Record<string, unknown> {
    const certificate = this.of(this.hostnameCertificates, zone).get(assignment.cert_id)
    const status = this.status(assignment, counts, this.timeOut.has(assignment.hostname))
    return {
      hostname: assignment.hostname,
      cert_id: assignment.cert_id,
      enabled: assignment.enabled,
      status,
      cert_status: status,
      ...(certificate
        ? { certificate: certificate.certificate, expires_on: certificate.expires_on, issuer: certificate.issuer }
        : {}),
    }
  }
}
