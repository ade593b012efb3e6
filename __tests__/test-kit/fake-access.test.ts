import { describe, expect, it } from 'vitest'
import { FakeAccess } from '../../test-kit/fake-access.ts'
import { makeClient } from '../../test-kit/fixtures.ts'

/** The stand-in's Access store on its own: the races and limits the tests rely on. */

const OWNER = 'accounts/a'
const ACCESS = '/accounts/{account_id}/access/certificates'
const result = ([, body]: [number, string] | undefined = [0, '{}']): unknown =>
  (JSON.parse(body) as { result: unknown }).result
const errors = ([, body]: [number, string] | undefined = [0, '{}']): string =>
  JSON.stringify((JSON.parse(body) as { errors: unknown }).errors)

describe('FakeAccess', () => {
  const params = (id?: string) => ({ account_id: 'a', ...(id ? { certificate_id: id } : {}) })
  const put = (access: FakeAccess, id: string, hostnames: string[]) =>
    access.route(
      'PUT',
      `${ACCESS}/{certificate_id}`,
      params(id),
      new URLSearchParams(),
      JSON.stringify({ associated_hostnames: hostnames }),
    )

  it('lags reads and refuses deletes with "active associations" after a detach, as configured', () => {
    const access = new FakeAccess()
    access.hostnameReadLag = 1
    access.deleteRefusals = 1
    const stored = access.seed(makeClient().ca.pem, { owner: OWNER, name: 'old', hostnames: ['a.example.com'] })
    put(access, stored.id, [])
    const read = () =>
      result(access.route('GET', `${ACCESS}/{certificate_id}`, params(stored.id), new URLSearchParams(), '')) as {
        associated_hostnames: string[]
      }
    expect(read().associated_hostnames).toEqual(['a.example.com'])
    expect(read().associated_hostnames).toEqual([])
    const remove = () =>
      access.route('DELETE', `${ACCESS}/{certificate_id}`, params(stored.id), new URLSearchParams(), '')
    expect(errors(remove())).toContain('active associations')
    expect(remove()?.[0]).toBe(200)
  })

  it('refuses a hostname another CA holds (unless told not to), a leaf, and more than its limit', () => {
    const access = new FakeAccess()
    access.seed(makeClient().ca.pem, { owner: OWNER, name: 'old', hostnames: ['a.example.com'] })
    const upload = (certificate: string, hostnames: string[] = []) =>
      access.route(
        'POST',
        ACCESS,
        params(),
        new URLSearchParams(),
        JSON.stringify({ certificate, name: 'n', associated_hostnames: hostnames }),
      )
    expect(errors(upload(makeClient().ca.pem, ['a.example.com']))).toContain(
      'already associated with another certificate',
    )
    expect(errors(upload(makeClient().client.pem))).toContain('not a CA')
    access.limit = 2
    expect(upload(makeClient().ca.pem)?.[0]).toBe(200)
    expect(errors(upload(makeClient().ca.pem))).toContain('at most 2')
    access.refuseSharedHostnames = false
    access.limit = 50
    expect(upload(makeClient().ca.pem, ['a.example.com'])?.[0]).toBe(200)
  })

  it('pages its listing with page and per_page', () => {
    const access = new FakeAccess()
    for (let i = 0; i < 3; i++) access.seed(makeClient().ca.pem, { owner: OWNER, name: `ca-${i}` })
    const page = access.route('GET', ACCESS, params(), new URLSearchParams('page=2&per_page=2'), '')
    expect(result(page)).toHaveLength(1)
    expect(JSON.parse(page?.[1] ?? '{}')).toMatchObject({
      result_info: { page: 2, per_page: 2, count: 1, total_count: 3 },
    })
  })
})
