import { X509Certificate, createHash, randomUUID } from 'node:crypto'

/**
 * The stand-in's Access mTLS store (Zero Trust), account-wide and per zone, in Cloudflare's shapes,
 * with the races Terraform's provider meets: a CA's hostnames read stale for a few reads after a
 * detach, and its delete refused with "active associations" for a few attempts after. Imports nothing from src/.
 */

export interface StoredAccessCertificate {
  id: string
  /** `accounts/<id>` or `zones/<id>`. */
  owner: string
  name: string
  certificate: string
  fingerprint: string
  associated_hostnames: string[]
  expires_on: string
  created_at: string
  updated_at: string
}

type Answer = [number, string]

const envelope = (result: unknown, errors: { code: number; message: string }[] = []): string =>
  JSON.stringify({ success: errors.length === 0, errors, messages: [], result: errors.length === 0 ? result : null })
const refused = (status: number, code: number, message: string): Answer => [status, envelope(null, [{ code, message }])]

/** `MD5 Fingerprint=1E:80:…`, as Cloudflare writes it, from the DER. */
const md5Fingerprint = (certificate: X509Certificate): string =>
  `MD5 Fingerprint=${(createHash('md5').update(certificate.raw).digest('hex').toUpperCase().match(/../g) ?? []).join(':')}`

export class FakeAccess {
  readonly certificates = new Map<string, StoredAccessCertificate>()
  /** Refuse a hostname another CA of the same owner holds (whether Cloudflare does is not documented). */
  refuseSharedHostnames = true
  /** After a detach, how many reads of the CA still list the hostnames it lost. */
  hostnameReadLag = 0
  /** After a detach, how many deletes are refused with "active associations". */
  deleteRefusals = 0
  /** Cloudflare's limit per account (and, here, per zone). */
  limit = 50
  private readonly lag = new Map<string, { reads: number; stale: string[]; deletes: number }>()

  reset(): void {
    this.certificates.clear()
    this.lag.clear()
    this.refuseSharedHostnames = true
    this.hostnameReadLag = 0
    this.deleteRefusals = 0
    this.limit = 50
  }

  /** A CA stored directly, as if uploaded earlier. */
  seed(pem: string, fields: { owner: string; name: string; hostnames?: string[] }): StoredAccessCertificate {
    const certificate = new X509Certificate(pem)
    const now = new Date().toISOString()
    const stored: StoredAccessCertificate = {
      id: randomUUID(),
      owner: fields.owner,
      name: fields.name,
      certificate: pem,
      fingerprint: md5Fingerprint(certificate),
      associated_hostnames: [...(fields.hostnames ?? [])],
      expires_on: new Date(certificate.validTo).toISOString(),
      created_at: now,
      updated_at: now,
    }
    this.certificates.set(stored.id, stored)
    return stored
  }

  ownedBy(owner: string): StoredAccessCertificate[] {
    return [...this.certificates.values()].filter((c) => c.owner === owner)
  }

  /** Handles `…/access/certificates[/{id}]`; undefined for any other path. */
  route(
    method: string,
    template: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: string,
  ): Answer | undefined {
    const match = /^\/(accounts|zones)\/\{\w+\}\/access\/certificates(\/\{certificate_id\})?$/.exec(template)
    if (!match) return undefined
    const owner = `${match[1]}/${params.account_id ?? params.zone_id ?? ''}`
    const id = params.certificate_id
    if (id === undefined) return method === 'GET' ? this.list(owner, query) : this.upload(owner, body)
    const stored = this.certificates.get(id)
    if (!stored || stored.owner !== owner)
      return refused(404, 12130, 'access.api.error.not_found: certificate not found')
    if (method === 'GET') return [200, envelope(this.view(stored, true))]
    if (method === 'PUT')
      return this.update(stored, JSON.parse(body) as { associated_hostnames: string[]; name?: string })
    return this.remove(stored)
  }

  private list(owner: string, query: URLSearchParams): Answer {
    const all = this.ownedBy(owner)
    const page = Math.max(1, Number(query.get('page') ?? '1') || 1)
    const perPage = Math.max(1, Math.min(1000, Number(query.get('per_page') ?? '20') || 20))
    const result = all.slice((page - 1) * perPage, page * perPage).map((c) => this.view(c, false))
    const info = { page, per_page: perPage, count: result.length, total_count: all.length }
    return [200, JSON.stringify({ success: true, errors: [], messages: [], result, result_info: info })]
  }

  private upload(owner: string, body: string): Answer {
    const request = JSON.parse(body) as { certificate: string; name: string; associated_hostnames?: string[] }
    let certificate: X509Certificate
    try {
      certificate = new X509Certificate(request.certificate)
    } catch {
      return refused(400, 12131, 'access.api.error.invalid_certificate: the certificate could not be parsed')
    }
    if (!certificate.ca) return refused(400, 12132, 'access.api.error.invalid_certificate: the certificate is not a CA')
    if (this.ownedBy(owner).length >= this.limit)
      return refused(400, 12134, `access.api.error.limit: at most ${this.limit} certificates`)
    const fingerprint = md5Fingerprint(certificate)
    if (this.ownedBy(owner).some((c) => c.fingerprint === fingerprint))
      return refused(400, 12135, 'access.api.error.conflict: certificate already exists')
    const taken = this.taken(owner, '', request.associated_hostnames ?? [])
    if (taken) return taken
    const stored = this.seed(request.certificate, {
      owner,
      name: request.name,
      hostnames: request.associated_hostnames ?? [],
    })
    return [200, envelope(this.view(stored, false))]
  }

  private update(stored: StoredAccessCertificate, request: { associated_hostnames: string[]; name?: string }): Answer {
    const taken = this.taken(stored.owner, stored.id, request.associated_hostnames)
    if (taken) return taken
    const removed = stored.associated_hostnames.filter((h) => !request.associated_hostnames.includes(h))
    if (removed.length > 0 && (this.hostnameReadLag > 0 || this.deleteRefusals > 0))
      this.lag.set(stored.id, {
        reads: this.hostnameReadLag,
        stale: [...stored.associated_hostnames],
        deletes: this.deleteRefusals,
      })
    stored.associated_hostnames = [...new Set(request.associated_hostnames)]
    if (request.name !== undefined) stored.name = request.name
    stored.updated_at = new Date().toISOString()
    return [200, envelope(this.view(stored, false))]
  }

  private remove(stored: StoredAccessCertificate): Answer {
    const lag = this.lag.get(stored.id)
    const lagging = lag !== undefined && lag.deletes > 0
    if (stored.associated_hostnames.length > 0 || lagging) {
      if (lag) lag.deletes--
      return refused(
        400,
        12136,
        'access.api.error.certificate_has_active_associations: the certificate has active associations',
      )
    }
    this.certificates.delete(stored.id)
    this.lag.delete(stored.id)
    return [200, envelope({ id: stored.id })]
  }

  /** The refusal for hostnames another CA of the owner holds, when refused. */
  private taken(owner: string, id: string, hostnames: readonly string[]): Answer | undefined {
    if (!this.refuseSharedHostnames) return undefined
    const holder = this.ownedBy(owner).find(
      (c) => c.id !== id && c.associated_hostnames.some((h) => hostnames.includes(h)),
    )
    if (!holder) return undefined
    const hostname = holder.associated_hostnames.find((h) => hostnames.includes(h)) ?? ''
    return refused(
      400,
      12137,
      `access.api.error.conflict: hostname ${hostname} is already associated with another certificate`,
    )
  }

  /** What Cloudflare answers: no PEM; a read during the lag lists the hostnames from before the detach. */
  private view(stored: StoredAccessCertificate, counts: boolean): Record<string, unknown> {
    const { owner: _owner, certificate: _pem, ...rest } = stored
    const lag = this.lag.get(stored.id)
    if (counts && lag !== undefined && lag.reads > 0) {
      lag.reads--
      return { ...rest, associated_hostnames: lag.stale }
    }
    return rest
  }
}
