import { describe, expect, it } from 'vitest'
import { FakeOriginPull } from '../../test-kit/fake-origin-pull.ts'
import { makeClient } from '../../test-kit/fixtures.ts'

/** The stand-in's origin pull store on its own: the status progression, time-outs and limits the tests rely on. */

const result = ([, body]: [number, string] | undefined = [0, '{}']): unknown =>
  (JSON.parse(body) as { result: unknown }).result
const errors = ([, body]: [number, string] | undefined = [0, '{}']): string =>
  JSON.stringify((JSON.parse(body) as { errors: unknown }).errors)

describe('FakeOriginPull', () => {
  const ZONE = 'z'
  const HOSTNAMES = '/zones/{zone_id}/origin_tls_client_auth/hostnames'

  it('moves an assignment initializing → pending_deployment → active, or to deployment_timed_out', () => {
    const pulls = new FakeOriginPull()
    const { client, keyPem } = makeClient()
    const stored = pulls.seed(ZONE, 'hostname', client.pem, keyPem)
    pulls.timeOut.add('b.example.com')
    const config = ['a.example.com', 'b.example.com'].map((hostname) => ({
      hostname,
      cert_id: stored.id,
      enabled: true,
    }))
    pulls.route('PUT', HOSTNAMES, { zone_id: ZONE }, JSON.stringify({ config }))
    const read = (hostname: string) =>
      (result(pulls.route('GET', `${HOSTNAMES}/{hostname}`, { zone_id: ZONE, hostname }, '')) as { status: string })
        .status
    expect([read('a.example.com'), read('a.example.com')]).toEqual(['pending_deployment', 'active'])
    expect([read('b.example.com'), read('b.example.com')]).toEqual(['pending_deployment', 'deployment_timed_out'])
  })

  it('never answers a key, refuses a delete while a hostname points at it, and holds at most 10 per zone', () => {
    const pulls = new FakeOriginPull()
    const { client, keyPem } = makeClient()
    const stored = pulls.seed(ZONE, 'hostname', client.pem, keyPem)
    pulls.assign(ZONE, 'a.example.com', stored.id)
    const list = pulls.route('GET', `${HOSTNAMES}/certificates`, { zone_id: ZONE }, '')
    expect(list?.[1]).not.toContain('PRIVATE KEY')
    expect(
      errors(
        pulls.route(
          'DELETE',
          `${HOSTNAMES}/certificates/{certificate_id}`,
          { zone_id: ZONE, certificate_id: stored.id },
          '{}',
        ),
      ),
    ).toContain('in use')
    pulls.hostnameLimit = 1
    const other = makeClient()
    const upload = pulls.route(
      'POST',
      `${HOSTNAMES}/certificates`,
      { zone_id: ZONE },
      JSON.stringify({ certificate: other.client.pem, private_key: other.keyPem }),
    )
    expect(errors(upload)).toContain('At most 1')
  })
})
