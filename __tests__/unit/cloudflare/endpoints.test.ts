import { describe, expect, it } from 'vitest'
import * as endpoints from '../../../src/cloudflare/endpoints.ts'
import { matchOperation } from '../../../test-kit/openapi.ts'

const ACCOUNT = '023e105f4ecef8ad9ca31a8372d0c353'
const ZONE = '9a7806061c88ada191ed06f989cc3dac'
const ID = '2458ce5a-0c35-4c7f-82c7-8e9487d3ff60'

describe('the paths', () => {
  it('are built as Cloudflare documents them, with the query parameters each needs', () => {
    expect(endpoints.certificatesPath(ACCOUNT)).toBe(`/accounts/${ACCOUNT}/mtls_certificates`)
    expect(endpoints.customCertificatesPath(ACCOUNT)).toBe(`/accounts/${ACCOUNT}/mtls_certificates?type=custom`)
    expect(endpoints.certificatePath(ACCOUNT, ID)).toBe(`/accounts/${ACCOUNT}/mtls_certificates/${ID}`)
    expect(endpoints.associationsPath(ACCOUNT, ID)).toBe(`/accounts/${ACCOUNT}/mtls_certificates/${ID}/associations`)
    expect(endpoints.associationsPath(ACCOUNT, ID, 3)).toBe(
      `/accounts/${ACCOUNT}/mtls_certificates/${ID}/associations?page=3`,
    )
    expect(endpoints.caHostnamesPath(ZONE, ID)).toBe(
      `/zones/${ZONE}/certificate_authorities/hostname_associations?mtls_certificate_id=${ID}`,
    )
    expect(endpoints.pagesProjectsPath(ACCOUNT)).toBe(`/accounts/${ACCOUNT}/pages/projects`)
    expect(endpoints.pagesProjectsPath(ACCOUNT, 2)).toBe(`/accounts/${ACCOUNT}/pages/projects?page=2`)
    expect(endpoints.hyperdriveConfigsPath(ACCOUNT, 2)).toBe(`/accounts/${ACCOUNT}/hyperdrive/configs?page=2`)
    expect(endpoints.accessCertificatesPath({ accountId: ACCOUNT })).toBe(`/accounts/${ACCOUNT}/access/certificates`)
    expect(endpoints.accessCertificatesPath({ zoneId: ZONE }, 2)).toBe(
      `/zones/${ZONE}/access/certificates?page=2&per_page=50`,
    )
    expect(endpoints.accessCertificatesPath({ zoneId: ZONE }, 1, 10)).toBe(
      `/zones/${ZONE}/access/certificates?page=1&per_page=10`,
    )
    expect(endpoints.namespaceScriptBindingsPath(ACCOUNT, 'tenants', 'shop')).toBe(
      `/accounts/${ACCOUNT}/workers/dispatch/namespaces/tenants/scripts/shop/bindings`,
    )
  })

  it('encode the ids and names they are given, so that none changes the path', () => {
    expect(endpoints.certificatePath(ACCOUNT, '../x')).toBe(`/accounts/${ACCOUNT}/mtls_certificates/..%2Fx`)
    expect(endpoints.caHostnamesPath(ZONE, 'a&b=c')).toContain('?mtls_certificate_id=a%26b%3Dc')
    expect(endpoints.workerDeploymentsPath(ACCOUNT, 'a/b')).toBe(
      `/accounts/${ACCOUNT}/workers/scripts/a%2Fb/deployments`,
    )
    expect(endpoints.workerVersionPath(ACCOUNT, 'w', 'v/1')).toBe(
      `/accounts/${ACCOUNT}/workers/scripts/w/versions/v%2F1`,
    )
    expect(endpoints.hostnameOriginPullAssignmentPath(ZONE, 'a b.example.com')).toBe(
      `/zones/${ZONE}/origin_tls_client_auth/hostnames/a%20b.example.com`,
    )
    expect(endpoints.accessCertificatePath({ accountId: ACCOUNT }, '?')).toBe(
      `/accounts/${ACCOUNT}/access/certificates/%3F`,
    )
  })
})

describe("every path is one of Cloudflare's operations", () => {
  const operations: [string, string][] = [
    ['POST', endpoints.certificatesPath(ACCOUNT)],
    ['GET', endpoints.customCertificatesPath(ACCOUNT)],
    ['DELETE', endpoints.certificatePath(ACCOUNT, ID)],
    ['GET', endpoints.associationsPath(ACCOUNT, ID, 2)],
    ['PUT', endpoints.zoneHostnamesPath(ZONE)],
    ['GET', endpoints.caHostnamesPath(ZONE, ID)],
    ['GET', endpoints.workerScriptsPath(ACCOUNT)],
    ['GET', endpoints.workerDeploymentsPath(ACCOUNT, 'payments')],
    ['GET', endpoints.workerVersionPath(ACCOUNT, 'payments', ID)],
    ['GET', endpoints.pagesProjectsPath(ACCOUNT, 2)],
    ['GET', endpoints.hyperdriveConfigsPath(ACCOUNT, 2)],
    ['GET', endpoints.accessCertificatesPath({ accountId: ACCOUNT }, 1)],
    ['POST', endpoints.accessCertificatesPath({ zoneId: ZONE })],
    ['DELETE', endpoints.accessCertificatePath({ zoneId: ZONE }, ID)],
    ['GET', endpoints.originPullPath(ZONE)],
    ['DELETE', endpoints.originPullCertificatePath(ZONE, ID)],
    ['PUT', endpoints.originPullSettingsPath(ZONE)],
    ['PUT', endpoints.hostnameOriginPullPath(ZONE)],
    ['GET', endpoints.hostnameOriginPullAssignmentPath(ZONE, 'api.example.com')],
    ['POST', endpoints.hostnameOriginCertificatesPath(ZONE)],
    ['DELETE', endpoints.hostnameOriginCertificatePath(ZONE, ID)],
  ]
  it.each(operations)('%s %s', (method, path) => {
    expect(matchOperation(method, path.split('?')[0] ?? path)).toBeDefined()
  })
})
