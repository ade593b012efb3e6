import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import {
  ACCOUNT_ID,
  API_TOKEN,
  ZONE_ID,
  makeClient,
  makeWorkspace,
  type ClientFixture,
} from '../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, type IssuedCertificate } from '../../test-kit/pki.ts'

/**
 * A repository with a manifest of two client certificates (keys in environment variables) and one CA
 * with API Shield hostnames, for the manifest step's end-to-end tests.
 */

export const MANIFEST_PATH = 'deploy/certificates.yml'
export const HOSTNAMES = ['api.example.com', 'partners.example.com']

export interface ManifestRepository {
  workspace: string
  payments: ClientFixture
  billing: ClientFixture
  ca: IssuedCertificate
  /** The variables the step's `env:` sets from secrets. */
  env: Record<string, string>
  /** Rewrites the manifest (relative paths from deploy/). */
  write(manifest: string): void
  /** Puts a file into deploy/. */
  file(path: string, content: string): void
}

export function manifestText(options: { replace?: boolean; zoneId?: string } = {}): string {
  const replace = options.replace ? '\n    replace: true' : ''
  return `version: 1
certificates:
  - name: payments-client
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY${replace}
  - name: billing-client
    certificate: certs/billing.pem
    ca: false
    private-key-env: BILLING_KEY${replace}
  - name: api-clients-ca
    certificate: pki/ca.pem
    ca: true${replace}
    zone-id: ${options.zoneId ?? ZONE_ID}
    hostnames: [${HOSTNAMES.join(', ')}]
`
}

export function manifestRepository(manifest = manifestText()): ManifestRepository {
  const payments = makeClient('ec')
  const billing = makeClient('ec')
  const ca = issueCertificate({ commonName: 'API clients CA', key: generateKey('ec'), ca: true })
  const workspace = makeWorkspace({
    [MANIFEST_PATH]: manifest,
    'deploy/certs/payments.pem': payments.client.pem,
    'deploy/certs/billing.pem': billing.client.pem,
    'deploy/pki/ca.pem': ca.pem,
  })
  return {
    workspace,
    payments,
    billing,
    ca,
    env: { PAYMENTS_KEY: payments.keyPem, BILLING_KEY: billing.keyPem },
    write: (text) => {
      writeFileSync(join(workspace, MANIFEST_PATH), text)
    },
    file: (path, content) => {
      writeFileSync(join(workspace, 'deploy', path), content)
    },
  }
}

export const manifestInputs = (fake: FakeCloudflare, extra: Record<string, string> = {}): Record<string, string> => ({
  'account-id': ACCOUNT_ID,
  'api-token': API_TOKEN,
  'api-base-url': fake.url,
  manifest: MANIFEST_PATH,
  ...extra,
})

/** The event payload of a pull request, written where the runner puts it; `fork` heads it in another repository. */
/** The head commit pullRequestEvent names by default. */
export const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567'

export function pullRequestEvent(
  dir: string,
  number: number,
  fork = false,
  headSha = HEAD_SHA,
): Record<string, string> {
  const path = join(dir, 'event.json')
  writeFileSync(
    path,
    JSON.stringify({
      pull_request: {
        number,
        head: { repo: { full_name: fork ? 'someone/certificates' : 'acme/certificates' }, sha: headSha },
      },
      repository: { full_name: 'acme/certificates' },
    }),
  )
  // GITHUB_SHA is the merge commit GitHub makes for the run: never the one the comment names.
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: path,
    GITHUB_SHA: 'feedfacefeedfacefeedfacefeedfacefeedface',
  }
}
