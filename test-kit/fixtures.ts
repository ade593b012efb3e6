import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { FakeCloudflare } from './fake-cloudflare.ts'
import { clientChain, keyPem, type IssuedCertificate, type KeyKind } from './pki.ts'

export const ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353'
/** A zone of the account, for API Shield's hostname associations. */
export const ZONE_ID = '9a7806061c88ada191ed06f989cc3dac'
export const API_TOKEN = 'tok3n-Zq8vR2mW9xL4pN7sK1dF6hJ3gT5yB0cE'
export const API_EMAIL = 'ops@example.com'
export const API_KEY = 'c2547eb745079dac9320b638f5e225cf483cc5cfdda41'
export const PASSPHRASE = 'correct horse battery staple 42'

/**
 * A PEM armour line, built rather than written out: secret scanners flag a private-key armour line
 * in a committed file, and test keys are generated when the tests run.
 */
export const pemArmour = (edge: 'BEGIN' | 'END', label: string): string => `-----${edge} ${label}-----`

/** A client certificate issued by a fresh CA, with its key in PKCS#8 PEM. */
export interface ClientFixture {
  ca: IssuedCertificate
  client: IssuedCertificate
  keyPem: string
}

export function makeClient(kind: KeyKind = 'ec', overrides: Parameters<typeof clientChain>[1] = {}): ClientFixture {
  const { ca, client } = clientChain(kind, overrides)
  return { ca, client, keyPem: keyPem(client.key, 'pkcs8') }
}

/**
 * The certificate of an earlier rotation: issued two days ago. Rotation deletes only certificates issued
 * before the one uploaded, and two made a moment apart by makeClient can fall on either side of a
 * second (X.509 times are whole seconds), so an "older" certificate must be older on purpose.
 */
export const issuedEarlier = (kind: KeyKind = 'ec'): string =>
  makeClient(kind, { notBefore: new Date(Date.now() - 2 * 86_400_000) }).client.pem

/** A workspace folder with the given files, as actions/checkout would leave it. */
export function makeWorkspace(files: Record<string, string | Buffer> = {}): string {
  const workspace = mkdtempSync(join(tmpdir(), 'mtls-workspace-'))
  for (const [path, content] of Object.entries(files)) {
    const full = join(workspace, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, content)
  }
  return workspace
}

export async function startFake(
  credentials: ConstructorParameters<typeof FakeCloudflare>[0]['credentials'] = { token: API_TOKEN },
): Promise<FakeCloudflare> {
  return new FakeCloudflare({ accountId: ACCOUNT_ID, credentials, zoneIds: [ZONE_ID] }).start()
}

/** The inputs of an ordinary client-certificate upload against the stand-in. */
export function clientInputs(
  fake: FakeCloudflare,
  fixture: ClientFixture,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'account-id': ACCOUNT_ID,
    'api-token': API_TOKEN,
    'api-base-url': fake.url,
    certificate: fixture.client.pem,
    'private-key': fixture.keyPem,
    ca: 'false',
    name: 'payments-client',
    ...extra,
  }
}
