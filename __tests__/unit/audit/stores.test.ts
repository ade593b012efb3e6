import { describe, expect, it } from 'vitest'
import { parseZoneIds, readStores, withStoreUsage } from '../../../src/audit/stores.ts'
import { InputError } from '../../../src/core/errors.ts'
import { ACCOUNT_ID, ZONE_ID } from '../../../test-kit/fixtures.ts'
import { generateKey, issueCertificate } from '../../../test-kit/pki.ts'
import { BASE_URL, failure, fakeApi, json, operationError, scriptedSend, success } from '../fakes.ts'

const OTHER_ZONE = '0123456789abcdef0123456789abcdef'
const accessPage = (result: unknown[]) =>
  json(200, { success: true, errors: [], messages: [], result, result_info: { total_count: result.length } })

describe('parseZoneIds', () => {
  it('takes Zone IDs one per line or comma-separated, once each', () => {
    expect(parseZoneIds('')).toEqual([])
    expect(parseZoneIds(`${ZONE_ID},\n ${OTHER_ZONE.toUpperCase()}\n${ZONE_ID}`)).toEqual([ZONE_ID, OTHER_ZONE])
  })

  it('refuses what is not a Zone ID, naming the input', () => {
    expect(() => parseZoneIds('example.com')).toThrow(InputError)
    expect(() => parseZoneIds('example.com')).toThrow("Input 'zone-ids': 'example.com' is not a Zone ID")
  })
})

describe('readStores', () => {
  const key = generateKey('ec')
  const root = issueCertificate({ commonName: 'Root', key, ca: true })
  const leaf = issueCertificate({ commonName: 'origin-client', key, issuer: root, serverName: 'origin-a.example.com' })

  it("reads Access CAs (the account's and each zone's), and the origin pull certificates of each zone with the hostnames that point at them", async () => {
    const send = scriptedSend(
      accessPage([
        {
          id: 'acc',
          name: 'partners-ca',
          associated_hostnames: ['app.example.com'],
          expires_on: '2030-01-01T00:00:00Z',
        },
      ]),
      accessPage([{ id: 'zacc', name: 'zone-ca', associated_hostnames: ['z.example.com'] }]),
      success([{ id: 'zl', status: 'active', certificate: root.pem }]),
      success([{ id: 'ph', status: 'active', certificate: leaf.pem }]),
      success({ hostname: 'origin-a.example.com', cert_id: 'ph', status: 'active', enabled: true }),
    )
    const stores = await readStores(fakeApi(send).api, [ZONE_ID])
    expect(stores.certificates).toEqual([
      { id: 'acc', name: 'partners-ca (Access)', ca: true, expires_on: '2030-01-01T00:00:00Z' },
      { id: 'zacc', name: `zone-ca (Access, zone ${ZONE_ID})`, ca: true },
      { id: 'zl', name: `origin pull, zone-level (zone ${ZONE_ID})`, ca: false, certificates: root.pem },
      { id: 'ph', name: `origin pull, per hostname (zone ${ZONE_ID})`, ca: false, certificates: leaf.pem },
    ])
    expect([...stores.usage]).toEqual([
      ['acc', ['access app.example.com']],
      ['zacc', ['access z.example.com']],
      ['zl', [`origin pull zone ${ZONE_ID}`]],
      ['ph', ['origin pull origin-a.example.com']],
    ])
    expect(send.requests.map((r) => r.url.replace(BASE_URL, ''))).toEqual([
      `/accounts/${ACCOUNT_ID}/access/certificates?page=1&per_page=50`,
      `/zones/${ZONE_ID}/access/certificates?page=1&per_page=50`,
      `/zones/${ZONE_ID}/origin_tls_client_auth`,
      `/zones/${ZONE_ID}/origin_tls_client_auth/hostnames/certificates`,
      `/zones/${ZONE_ID}/origin_tls_client_auth/hostnames/origin-a.example.com`,
    ])
    expect(stores.warnings).toEqual([])
  })

  it('warns and goes on without the Access CAs when they cannot be read; fails on a zone it was asked for', async () => {
    const refused = failure(403, [{ code: 10000, message: 'Authentication error' }])
    const stores = await readStores(fakeApi(scriptedSend(refused)).api, [])
    expect(stores.certificates).toEqual([])
    expect(stores.warnings).toEqual([expect.stringContaining('Could not read the Access certificates of the account')])
    // A zone's Access CAs the token may not read: a warning; its origin pull certificates: the audit fails.
    const zone = readStores(fakeApi(scriptedSend(accessPage([]), refused, refused)).api, [ZONE_ID])
    expect((await operationError(zone)).message).toContain(`list the origin pull certificates of zone ${ZONE_ID}`)
    const zoneAccess = await readStores(fakeApi(scriptedSend(accessPage([]), refused, success([]), success([]))).api, [
      ZONE_ID,
    ])
    expect(zoneAccess.warnings).toEqual([
      expect.stringContaining(`Could not read the Access certificates of zone ${ZONE_ID}`),
    ])
  })

  it('gives the store certificates their hostnames as what uses them', () => {
    const usage = new Map([['a', ['access x.example.com']]])
    expect(withStoreUsage([{ id: 'a' }, { id: 'b', inUse: ['api_shield'] }], usage)).toEqual([
      { id: 'a', inUse: ['access x.example.com'] },
      { id: 'b', inUse: ['api_shield'] },
    ])
  })
})
