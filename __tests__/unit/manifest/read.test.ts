import { mkdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { setSecret } from '@actions/core'
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadWranglerParsers } from '../../../src/wrangler/parsers.ts'
import { InputError } from '../../../src/core/errors.ts'
import { ManifestError, readManifest, type ManifestOptions } from '../../../src/manifest/read.ts'
import { PASSPHRASE, ZONE_ID, makeClient, makeWorkspace, pemArmour } from '../../../test-kit/fixtures.ts'
import { generateKey, issueCertificate, keyPem } from '../../../test-kit/pki.ts'

// The Wrangler parsers are loaded on demand (src/wrangler/parsers.ts), as the steps load them.
beforeAll(loadWranglerParsers)

vi.mock('@actions/core', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@actions/core')>()),
  setSecret: vi.fn(),
}))

const payments = makeClient('ec')
const ca = issueCertificate({ commonName: 'API clients CA', key: generateKey('ec'), ca: true })

const MANIFEST = `version: 1
certificates:
  - name: payments-client
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY
    replace: true
    wrangler:
      - { config: ../workers/payments/wrangler.jsonc, binding: PAYMENTS_CERT }
  - name: api-clients-ca
    certificate: pki/api-clients-ca.pem
    ca: true
    zone-id: ${ZONE_ID}
    hostnames: [API.example.com, partners.example.com]
`

const PAYMENTS_CONFIG = '{ "name": "payments", "mtls_certificates": [{ "binding": "PAYMENTS_CERT" }] }'

function workspace(manifest: string, files: Record<string, string> = {}): string {
  return makeWorkspace({
    'deploy/manifest.yml': manifest,
    'deploy/certs/payments.pem': payments.client.pem,
    'deploy/pki/api-clients-ca.pem': ca.pem,
    'workers/payments/wrangler.jsonc': PAYMENTS_CONFIG,
    ...files,
  })
}

const options = (root: string, env: Record<string, string> = {}, replace = false): ManifestOptions => ({
  workspace: root,
  env: { PAYMENTS_KEY: payments.keyPem, ...env },
  replace,
  now: new Date(),
  expiryWarningDays: 30,
})

/** The problems a manifest's error lists. */
function problemsOf(manifest: string, env: Record<string, string> = {}, files: Record<string, string> = {}): string[] {
  const root = workspace(manifest, files)
  try {
    readManifest('deploy/manifest.yml', options(root, env))
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError)
    expect(error).toBeInstanceOf(InputError)
    return [...(error as ManifestError).problems]
  }
  throw new Error('the manifest was accepted')
}

beforeEach(() => {
  vi.mocked(setSecret).mockClear()
})

describe('readManifest', () => {
  it('gives one spec per entry, paths from the manifest folder, replace and name set', () => {
    const root = workspace(MANIFEST)
    const entries = readManifest('deploy/manifest.yml', options(root))
    expect(entries.map((e) => [e.name, e.line])).toEqual([
      ['payments-client', 3],
      ['api-clients-ca', 10],
    ])
    const [leaf, authority] = entries
    expect(leaf?.spec).toMatchObject({
      name: 'payments-client',
      ca: false,
      replace: true,
      certificate: { path: 'certs/payments.pem', text: payments.client.pem },
      privateKey: { text: payments.keyPem, input: 'private-key-env', path: 'PAYMENTS_KEY' },
      wrangler: [{ config: 'workers/payments/wrangler.jsonc', binding: 'PAYMENTS_CERT' }],
    })
    expect(leaf?.checked.leaf.fingerprint256).toBe(payments.client.x509.fingerprint256)
    expect(authority?.spec).toMatchObject({
      name: 'api-clients-ca',
      ca: true,
      replace: false,
      apiShield: { zoneId: ZONE_ID, hostnames: ['api.example.com', 'partners.example.com'] },
    })
  })

  it("takes the step's replace for entries that do not set it", () => {
    const root = workspace(MANIFEST)
    const entries = readManifest('deploy/manifest.yml', options(root, {}, true))
    expect(entries.map((e) => e.spec.replace)).toEqual([true, true])
    const off = readManifest('deploy/manifest.yml', options(root, {}, false))
    expect(off.map((e) => e.spec.replace)).toEqual([true, false])
  })

  it('registers the key from the variable before it is parsed, and a passphrase', () => {
    const encrypted = keyPem(payments.client.key, 'pkcs8', { passphrase: PASSPHRASE })
    const manifest = MANIFEST.replace(
      'private-key-env: PAYMENTS_KEY',
      'private-key-env: PAYMENTS_KEY\n    private-key-passphrase-env: PAYMENTS_PASS',
    )
    const root = workspace(manifest)
    const [leaf] = readManifest(
      'deploy/manifest.yml',
      options(root, { PAYMENTS_KEY: encrypted, PAYMENTS_PASS: PASSPHRASE }),
    )
    expect(leaf?.spec.privateKeyPassphrase).toBe(PASSPHRASE)
    const masked = vi.mocked(setSecret).mock.calls.map(([value]) => value)
    expect(masked).toContain(encrypted)
    expect(masked).toContain(PASSPHRASE)
  })

  it('reports every problem of every entry at once, each with file, line and field', () => {
    const manifest = `version: 2
owner: platform
certificates:
  - name: payments-client
    certificate: certs/payments.pem
    ca: yes
    private-key-env: PAYMENTS_KEY
    colour: blue
  - name: payments-client
    certificate: certs/missing.pem
    ca: false
    private-key-env: GITHUB_TOKEN
  - certificate: pki/api-clients-ca.pem
    ca: true
    zone-id: not-a-zone
    hostnames: [https://api.example.com]
  - name: worker
    certificate: certs/payments.pem
    ca: false
    private-key-env: EMPTY_KEY
    wrangler:
      - { config: /etc/wrangler.toml, binding: 1BAD }
`
    expect(problemsOf(manifest, { EMPTY_KEY: '  ' })).toEqual([
      "deploy/manifest.yml:2: unknown field 'owner' (the fields are: version, certificates)",
      'deploy/manifest.yml:1: version: must be 1, the only version this action reads; got 2',
      expect.stringMatching(/^deploy\/manifest\.yml:8: certificates\[0\]: unknown field 'colour'/),
      expect.stringMatching(
        /^deploy\/manifest\.yml:6: certificates\[0\]\.ca: must be true or false .*got a string \(yes\)$/,
      ),
      "deploy/manifest.yml:9: certificates[1].name: 'payments-client' is already the name of the entry on line 4: names must be unique",
      expect.stringMatching(
        /^deploy\/manifest\.yml:10: certificates\[1\]\.certificate: file 'certs\/missing\.pem' does not exist .*relative to the manifest's folder/,
      ),
      expect.stringMatching(
        /^deploy\/manifest\.yml:12: certificates\[1\]\.private-key-env: 'GITHUB_TOKEN' starts with GITHUB_/,
      ),
      'deploy/manifest.yml:13: certificates[2].name: is required',
      expect.stringMatching(/^deploy\/manifest\.yml:15: certificates\[2\]\.zone-id: must be 32 hexadecimal characters/),
      expect.stringMatching(
        /^deploy\/manifest\.yml:16: certificates\[2\]\.hostnames: 'https:\/\/api\.example\.com' has a scheme/,
      ),
      expect.stringMatching(
        /^deploy\/manifest\.yml:20: certificates\[3\]\.private-key-env: the environment variable EMPTY_KEY is empty or not set/,
      ),
      expect.stringMatching(
        /^deploy\/manifest\.yml:22: certificates\[3\]\.wrangler\[0\]\.config: '\/etc\/wrangler\.toml' is an absolute path/,
      ),
      expect.stringMatching(
        /^deploy\/manifest\.yml:22: certificates\[3\]\.wrangler\[0\]\.binding: '1BAD' is not a binding name/,
      ),
    ])
  })

  it('checks each Wrangler file before anything is sent: its name, that it parses, that it has the binding', () => {
    const manifest = `version: 1
certificates:
  - name: payments-client
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY
    wrangler:
      - config: ../workers/payments/wrangler.jsonc
        binding: BILLING_CERT
      - { config: ../workers/broken.toml, binding: PAYMENTS_CERT }
      - { config: ../workers/payments/wrangler.yaml, binding: PAYMENTS_CERT }
`
    expect(
      problemsOf(
        manifest,
        {},
        { 'workers/broken.toml': 'name = "x"\n[[mtls_certificates]\n', 'workers/payments/wrangler.yaml': '' },
      ),
    ).toEqual([
      expect.stringMatching(
        /^deploy\/manifest\.yml:9: certificates\[0\]\.wrangler\[0\]\.binding: 'workers\/payments\/wrangler\.jsonc' has no mtls_certificates entry with binding = "BILLING_CERT".*it has PAYMENTS_CERT \(top level\)/,
      ),
      expect.stringMatching(
        /^deploy\/manifest\.yml:10: certificates\[0\]\.wrangler\[1\]\.config: 'workers\/broken\.toml' cannot be parsed, line 2/,
      ),
      expect.stringMatching(
        /^deploy\/manifest\.yml:11: certificates\[0\]\.wrangler\[2\]\.config: '\.\.\/workers\/payments\/wrangler\.yaml' is not a Wrangler configuration file: .*must end in \.toml, \.json or \.jsonc/,
      ),
    ])
  })

  it('refuses one file and binding in two entries, naming both lines', () => {
    const manifest = `${MANIFEST}  - name: payments-next
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY
    wrangler:
      - { config: ../workers/payments/wrangler.jsonc, binding: PAYMENTS_CERT }
`
    expect(problemsOf(manifest)).toEqual([
      expect.stringMatching(
        /^deploy\/manifest\.yml:20: certificates\[2\]\.wrangler\[0\]: lists workers\/payments\/wrangler\.jsonc and PAYMENTS_CERT, as the entry on line 9 does: /,
      ),
    ])
  })

  it('refuses an Access hostname, or an origin pull hostname or zone, that two entries claim, naming both lines', () => {
    const entry = (name: string, store: string, extra: string) =>
      `  - name: ${name}\n    store: ${store}\n    certificate: ${store === 'access' ? 'pki/api-clients-ca.pem' : 'certs/payments.pem'}\n${extra}`
    const key = '    private-key-env: PAYMENTS_KEY\n'
    const access = `version: 1\ncertificates:\n${entry('a', 'access', '    hostnames: [app.example.com]\n')}${entry('b', 'access', '    hostnames: [APP.example.com, other.example.com]\n')}`
    expect(problemsOf(access)).toEqual([
      expect.stringMatching(
        /^deploy\/manifest\.yml:10: certificates\[1\]\.hostnames: claims app\.example\.com \(an Access hostname has one CA\), as the entry on line 6 does: /,
      ),
    ])
    const zoneLevel = `version: 1\ncertificates:\n${entry('a', 'origin-pull', `${key}    zone-id: ${ZONE_ID}\n`)}${entry('b', 'origin-pull', `${key}    zone-id: ${ZONE_ID}\n`)}`
    expect(problemsOf(zoneLevel)).toEqual([
      expect.stringMatching(/certificates\[1\]\.zone-id: claims the zone-level origin pull certificate of zone /),
    ])
    // The same hostname in another owner (a zone-wide Access CA), or other hostnames of the zone, are not claimed twice.
    const apart = `version: 1\ncertificates:\n${entry('a', 'access', '    hostnames: [app.example.com]\n')}${entry('b', 'access', `    zone-id: ${ZONE_ID}\n    hostnames: [app.example.com]\n`)}${entry('c', 'origin-pull', `${key}    zone-id: ${ZONE_ID}\n    hostnames: [one.example.com]\n`)}${entry('d', 'origin-pull', `${key}    zone-id: ${ZONE_ID}\n    hostnames: [two.example.com]\n`)}`
    expect(readManifest('deploy/manifest.yml', options(workspace(apart))).map((e) => e.name)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ])
  })

  it('refuses one file and binding in two entries through a symbolic link or a/../, by the real path', () => {
    for (const [config, link] of [
      ['../workers/link.jsonc', true],
      ['../workers/x/../payments/wrangler.jsonc', false],
    ] as const) {
      const manifest = `${MANIFEST}  - name: payments-next
    certificate: certs/payments.pem
    ca: false
    private-key-env: PAYMENTS_KEY
    wrangler:
      - { config: ${config}, binding: PAYMENTS_CERT }
`
      const root = workspace(manifest, { 'workers/x/.keep': '' })
      if (link) symlinkSync('payments/wrangler.jsonc', join(root, 'workers/link.jsonc'))
      try {
        readManifest('deploy/manifest.yml', options(root))
        expect.unreachable()
      } catch (error) {
        const shown = link
          ? 'workers/link.jsonc (the same file as workers/payments/wrangler.jsonc)'
          : 'workers/payments/wrangler.jsonc'
        expect((error as ManifestError).problems).toEqual([
          expect.stringContaining(
            `deploy/manifest.yml:20: certificates[2].wrangler[0]: lists ${shown} and PAYMENTS_CERT, as the entry on line 9 does: `,
          ),
        ])
      }
    }
  })

  it('refuses a Wrangler file with a key written twice, naming its line, before anything is sent', () => {
    const config =
      '{\n  "mtls_certificates": [\n    { "binding": "PAYMENTS_CERT",\n      "binding": "OTHER" }\n  ]\n}\n'
    expect(problemsOf(MANIFEST, {}, { 'workers/payments/wrangler.jsonc': config })).toEqual([
      `deploy/manifest.yml:9: certificates[0].wrangler[0].config: 'workers/payments/wrangler.jsonc' line 4: "binding" is written twice (also on line 3) in mtls_certificates[0], and wrangler reads only the last one: remove the one that is out of date, so that the file says one thing.`,
    ])
  })

  it('names them all in the one error message, so that the annotation lists them', () => {
    const root = workspace('version: 1\ncertificates:\n  - name: a\n  - name: b\n    ca: maybe\n')
    expect(() => readManifest('deploy/manifest.yml', options(root))).toThrow(
      /^The manifest deploy\/manifest\.yml has 4 problems, so nothing was sent: \(1\) deploy\/manifest\.yml:3: certificates\[0\]\.certificate: is required .*\(4\) deploy\/manifest\.yml:5: certificates\[1\]\.ca: must be true or false .*got a string \(maybe\)$/,
    )
  })

  it("refuses this action's own credential variables as a key, as it does the runner's", () => {
    const manifest =
      'version: 1\ncertificates:\n  - name: a\n    certificate: certs/payments.pem\n    ca: false\n    private-key-env: CLOUDFLARE_API_TOKEN\n'
    expect(problemsOf(manifest, { CLOUDFLARE_API_TOKEN: 'token' })).toEqual([
      expect.stringMatching(
        /^deploy\/manifest\.yml:6: certificates\[0\]\.private-key-env: 'CLOUDFLARE_API_TOKEN' starts with CLOUDFLARE_, which this action reads its own Cloudflare credentials from/,
      ),
    ])
  })

  it('reports YAML errors with their line, duplicate keys among them', () => {
    expect(problemsOf('version: 1\ncertificates:\n  - name: a\n    name: b\n')).toEqual([
      expect.stringMatching(/^deploy\/manifest\.yml:4: YAML: Map keys must be unique/),
    ])
    expect(problemsOf('version: 1\ncertificates: [\n')[0]).toMatch(/^deploy\/manifest\.yml:\d+: YAML: /)
  })

  it('refuses paths out of the workspace: .., absolute, and a symbolic link out', () => {
    const outside = makeWorkspace({ 'stolen.pem': payments.client.pem })
    const root = workspace(
      MANIFEST.replace('certs/payments.pem', 'certs/link.pem').replace('pki/api-clients-ca.pem', '../../x.pem'),
    )
    mkdirSync(join(root, 'deploy/certs'), { recursive: true })
    symlinkSync(join(outside, 'stolen.pem'), join(root, 'deploy/certs/link.pem'))
    try {
      readManifest('deploy/manifest.yml', options(root))
      expect.unreachable()
    } catch (error) {
      expect((error as ManifestError).problems).toEqual([
        expect.stringMatching(
          /^deploy\/manifest\.yml:4: certificates\[0\]\.certificate: 'certs\/link\.pem' is or passes through a symbolic link that leads out of the workspace/,
        ),
        expect.stringMatching(
          /^deploy\/manifest\.yml:11: certificates\[1\]\.certificate: '\.\.\/\.\.\/x\.pem' leads out of the workspace/,
        ),
      ])
    }
    expect(() => readManifest('/etc/manifest.yml', options(root))).toThrow(
      /^Input 'manifest': '\/etc\/manifest\.yml' is an absolute path/,
    )
    expect(() => readManifest('../manifest.yml', options(root))).toThrow(
      /^Input 'manifest': '\.\.\/manifest\.yml' leads out of the workspace/,
    )
  })

  it('refuses the names every object inherits as unknown fields: at the top, in entries, in wrangler items', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'valueOf', 'isPrototypeOf', 'hasOwnProperty']) {
      const manifest = MANIFEST.replace('version: 1\n', `version: 1\n${name}: 1\n`)
        .replace('    replace: true\n', `    replace: true\n    ${name}: x\n`)
        .replace('binding: PAYMENTS_CERT }', `binding: PAYMENTS_CERT, ${name}: y }`)
      expect(problemsOf(manifest)).toEqual([
        `deploy/manifest.yml:2: unknown field '${name}' (the fields are: version, certificates)`,
        expect.stringMatching(new RegExp(`^deploy/manifest\\.yml:9: certificates\\[0\\]: unknown field '${name}'`)),
        expect.stringMatching(
          new RegExp(`^deploy/manifest\\.yml:11: certificates\\[0\\]\\.wrangler\\[0\\]: unknown field '${name}'`),
        ),
      ])
    }
  })

  it('refuses a %YAML 1.1 directive, under which yes and on would be booleans', () => {
    const manifest = `%YAML 1.1\n---\n${MANIFEST.replace('ca: false', 'ca: yes').replace('replace: true', 'replace: on')}`
    expect(problemsOf(manifest)).toEqual([
      'deploy/manifest.yml:1: YAML: %YAML 1.1 is not read: a manifest is YAML 1.2, whose only booleans are true and false (yes, no, on and off are strings). Remove the %YAML line, and write true or false',
    ])
    // Without the directive, yes is a string, as the docs say.
    expect(problemsOf(MANIFEST.replace('ca: false', 'ca: yes'))).toEqual([
      expect.stringMatching(
        /^deploy\/manifest\.yml:5: certificates\[0\]\.ca: must be true or false .*got a string \(yes\)$/,
      ),
    ])
    const root = workspace(`%YAML 1.2\n---\n${MANIFEST}`)
    expect(readManifest('deploy/manifest.yml', options(root))).toHaveLength(2)
  })

  it('reports one indentation mistake, a missing list dash or a tab once, with its line and a hint', () => {
    const indent = problemsOf(MANIFEST.replace('    ca: false\n', '      ca: false\n'))
    expect(indent).toEqual([
      "deploy/manifest.yml:4: YAML: Nested mappings are not allowed in compact mappings: a line below this one is indented more than it: is each line indented like the one above it, and does each list item start with '- '? (the lines after it are checked once it is fixed)",
    ])
    const dash = problemsOf(MANIFEST.replace('  - name: payments-client', '    name: payments-client'))
    expect(dash).toEqual([
      "deploy/manifest.yml:10: YAML: A block sequence may not be used as an implicit map key: this list item follows fields indented more than it: does every item of the list start with '- ', and is each indented like the one above it? (the lines after it are checked once it is fixed)",
    ])
    const tabs = problemsOf(
      MANIFEST.replace('    ca: false\n', '\tca: false\n').replace('    ca: true\n', '\tca: true\n'),
    )
    expect(tabs).toEqual([
      'deploy/manifest.yml:5: YAML: Tabs are not allowed as indentation: tabs cannot indent YAML: use spaces (the lines after it are checked once it is fixed)',
      'deploy/manifest.yml:12: YAML: Tabs are not allowed as indentation: tabs cannot indent YAML: use spaces',
    ])
    const unrelated = problemsOf(
      'version: 1\ncertificates:\n  - name: a\n    certificate: x\n    name: b\n  ca: false\n',
    )
    expect(unrelated).toEqual([
      expect.stringMatching(/^deploy\/manifest\.yml:5: YAML: Map keys must be unique$/),
      expect.stringMatching(
        /^deploy\/manifest\.yml:6: YAML: All mapping items must start at the same column: is this line indented like the one above it\?/,
      ),
    ])
  })

  it('says that an expression is not expanded in a manifest, and what to write instead, never cutting it unmarked', () => {
    const expression = '${{ secrets.PAYMENTS_CLIENT_KEY_2026Q1 }}'
    expect(problemsOf(MANIFEST.replace('private-key-env: PAYMENTS_KEY', `private-key-env: ${expression}`))).toEqual([
      `deploy/manifest.yml:6: certificates[0].private-key-env: '${expression}' is an expression, and expressions are not expanded in a manifest: the value must be the NAME of an environment variable that the step's env: sets. Write private-key-env: PAYMENTS_CLIENT_KEY_2026Q1 in the manifest, and PAYMENTS_CLIENT_KEY_2026Q1: ${expression} under the step's env:.`,
    ])
    expect(problemsOf(MANIFEST.replace('private-key-env: PAYMENTS_KEY', 'private-key-env: $PAYMENTS_KEY'))).toEqual([
      "deploy/manifest.yml:6: certificates[0].private-key-env: '$PAYMENTS_KEY' is not expanded in a manifest: write the variable's name alone, private-key-env: PAYMENTS_KEY.",
    ])
    const long = `lower_case_${'x'.repeat(80)}`
    const [problem] = problemsOf(MANIFEST.replace('private-key-env: PAYMENTS_KEY', `private-key-env: ${long}`))
    expect(problem).toContain(`'${long.slice(0, 59)}…' is not an environment variable name`)
  })

  it('runs the certificate checks on each entry, naming the entry', () => {
    const other = makeClient('ec')
    const problems = problemsOf(MANIFEST, { PAYMENTS_KEY: other.keyPem })
    expect(problems).toEqual([
      expect.stringMatching(
        /^deploy\/manifest\.yml:6: certificates\[0\]\.private-key-env: The private key \(private-key-env 'PAYMENTS_KEY'\) does not belong.* the secret may still hold the previous key: update the secret too\.$/,
      ),
    ])
  })

  it('never shows a key from a variable, even when the PEM is bad or in the wrong place', () => {
    const key = payments.keyPem
    const body = key.split('\n')[1] ?? ''
    const broken = key.replace(body, `${body.slice(0, 10)}!!${body.slice(12)}`)
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ PAYMENTS_KEY: broken }, {}],
      [{ PAYMENTS_KEY: key.slice(0, key.length / 2) }, {}],
      [{ PAYMENTS_KEY: payments.client.pem }, {}],
      [{}, { 'deploy/certs/payments.pem': `${payments.client.pem}\n${key}` }],
      [{ PAYMENTS_KEY: `${pemArmour('BEGIN', 'PRIVATE KEY')}\n${body}\n` }, {}],
    ]
    for (const [env, files] of cases) {
      const text = problemsOf(MANIFEST, env, files).join('\n')
      expect(text).not.toBe('')
      expect(text).not.toContain(body)
      for (const value of Object.values(env)) {
        for (const line of value.split('\n').filter((l) => l.length > 8 && !l.startsWith('-----'))) {
          expect(text).not.toContain(line)
        }
      }
    }
  })
})
