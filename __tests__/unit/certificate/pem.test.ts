import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  isCertificateLabel,
  isPrivateKeyLabel,
  isPublicKeyLabel,
  normalisePem,
  pkcs12Advice,
  scanPem,
} from '../../../src/certificate/pem.ts'
import { clientChain, issueCertificate, generateKey, keyPem } from '../../../test-kit/pki.ts'
import { MAX_PEM_BYTES } from '../../../src/certificate/pem-file.ts'
import { pemArmour } from '../../../test-kit/fixtures.ts'

const block = (label: string, ...body: string[]): string =>
  [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n')

const CERT_A = block('CERTIFICATE', 'MIIBaaaa', 'bbbb==')
const CERT_B = block('CERTIFICATE', 'MIIBcccc')
const KEY = block('EC PRIVATE KEY', 'MHcCAQEE')

describe('normalisePem', () => {
  it('turns CRLF and lone CR into LF', () => {
    expect(normalisePem('a\r\nb\rc\n')).toBe('a\nb\nc')
  })

  it('drops a leading byte-order mark', () => {
    expect(normalisePem(`\uFEFF${CERT_A}`)).toBe(CERT_A)
  })

  it('drops trailing spaces and tabs on every line, and blank lines around the text', () => {
    expect(normalisePem('\n\n  a  \t\nb \n\n')).toBe('a\nb')
  })

  it('drops the indentation of every line, as a YAML block scalar pasted with extra indent has it', () => {
    expect(normalisePem('    a\n    b\n\t  c')).toBe('a\nb\nc')
  })

  it('reads the two characters \\n (and \\r\\n) as a line break, as keys from JSON or .env files have them', () => {
    expect(normalisePem(String.raw`a\nb\r\nc\n`)).toBe('a\nb\nc')
  })

  it('puts every armour line on a line of its own', () => {
    expect(normalisePem(`x ${CERT_B}${CERT_A} y`)).toBe(`x\n${CERT_B}\n${CERT_A}\ny`)
  })
})

describe('scanPem', () => {
  it('finds one block and gives its normalised text', () => {
    const scan = scanPem(`\uFEFF${CERT_A.replace(/\n/g, ' \r\n')}\r\n`)
    expect(scan).toEqual({ blocks: [{ label: 'CERTIFICATE', text: CERT_A }] })
  })

  it('finds several blocks of different labels in order, ignoring text around them', () => {
    const scan = scanPem(`subject=CN=client\n${CERT_A}\n\nissuer info\n${CERT_B}\n${KEY}\n`)
    expect(scan.truncatedLabel).toBeUndefined()
    expect(scan.blocks).toEqual([
      { label: 'CERTIFICATE', text: CERT_A },
      { label: 'CERTIFICATE', text: CERT_B },
      { label: 'EC PRIVATE KEY', text: KEY },
    ])
  })

  it('reports a block whose END line is missing', () => {
    const scan = scanPem(`${CERT_A}\n-----BEGIN CERTIFICATE-----\nMIIBdddd\n`)
    expect(scan.blocks).toEqual([{ label: 'CERTIFICATE', text: CERT_A }])
    expect(scan.truncatedLabel).toBe('CERTIFICATE')
  })

  it('reports a cut-off block that is followed by a whole one', () => {
    const scan = scanPem(`${pemArmour('BEGIN', 'PRIVATE KEY')}\nMIGH\n${CERT_B}`)
    expect(scan.truncatedLabel).toBe('PRIVATE KEY')
    expect(scan.blocks.map((b) => b.label)).toEqual(['CERTIFICATE'])
  })

  it('reports a cut-off block that is followed by one of the same label', () => {
    const scan = scanPem(`-----BEGIN CERTIFICATE-----\nMIIBcut\n${CERT_B}`)
    expect(scan.truncatedLabel).toBe('CERTIFICATE')
  })

  it('does not pair an END with a BEGIN of another label', () => {
    const scan = scanPem('-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----')
    expect(scan).toEqual({ blocks: [], truncatedLabel: 'CERTIFICATE' })
  })

  it('reads an indented block, as a YAML block scalar pasted with extra indent has it', () => {
    const indented = `${CERT_A}\n${KEY}`.replace(/^/gm, '      ')
    expect(scanPem(`private-key: |\n${indented}\n`).blocks).toEqual([
      { label: 'CERTIFICATE', text: CERT_A },
      { label: 'EC PRIVATE KEY', text: KEY },
    ])
  })

  it('reads a block whose line breaks are the two characters \\n, inside JSON quotes', () => {
    const escaped = JSON.stringify(`${KEY}\n`)
    expect(escaped).not.toContain('\n')
    expect(scanPem(`{"private_key": ${escaped}}`)).toEqual({ blocks: [{ label: 'EC PRIVATE KEY', text: KEY }] })
    expect(scanPem(KEY.replace(/\n/g, String.raw`\r\n`)).blocks).toEqual([{ label: 'EC PRIVATE KEY', text: KEY }])
  })

  it('reads two blocks joined on one line, as cat gives for a file without a final line break', () => {
    expect(scanPem(`${CERT_A}${CERT_B}`).blocks.map((b) => b.text)).toEqual([CERT_A, CERT_B])
  })

  it('keeps the blank line between the headers and the body of a traditional encrypted key', () => {
    const encrypted = block('RSA PRIVATE KEY', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-256-CBC,00FF', '', 'MIIE')
    expect(scanPem(encrypted.replace(/^/gm, '  ')).blocks).toEqual([{ label: 'RSA PRIVATE KEY', text: encrypted }])
  })

  it('finds nothing in text without PEM armour', () => {
    expect(scanPem('MIIBaaaa\nbbbb')).toEqual({ blocks: [] })
    expect(scanPem('')).toEqual({ blocks: [] })
  })
})

/** 8 MiB: the largest answer the API client reads, and so the largest text scanPem sees (certificates in listings). */
const ANSWER_BYTES = 8 * 1024 * 1024
/** Generous, so as never to be flaky: each scan takes well under a second; a quadratic one takes minutes. */
const WORST_CASE_MS = 5_000
const fill = (unit: string, bytes: number): string => unit.repeat(Math.floor(bytes / unit.length))

const HOSTILE: [string, (bytes: number) => string][] = [
  ['BEGIN lines without END', (bytes) => fill('-----BEGIN CERTIFICATE-----\n', bytes)],
  ['BEGIN lines on one line', (bytes) => fill('-----BEGIN CERTIFICATE-----', bytes)],
  [
    'BEGIN lines with mismatched END lines',
    (bytes) => fill('-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n', bytes),
  ],
  [
    'BEGIN and END of alternating labels',
    (bytes) => fill('-----BEGIN A-----\n-----END B-----\n-----BEGIN B-----\n', bytes),
  ],
  ['a BEGIN with an endless label', (bytes) => `-----BEGIN ${fill('A', bytes)}`],
  ['endless labels', (bytes) => fill(`-----BEGIN ${'A'.repeat(100)}`, bytes)],
  ['dashes', (bytes) => fill('-', bytes)],
  ['line breaks', (bytes) => fill('\n', bytes)],
  ['escaped line breaks', (bytes) => fill(String.raw`\n`, bytes)],
  ['spaces', (bytes) => fill(' ', bytes)],
  ['one small block after the noise', (bytes) => `${fill('-----BEGIN X-----\n', bytes)}${CERT_A}`],
]

/**
 * The fastest of three runs of each, after a warm-up, the two taking turns: the least disturbed by
 * other work on the machine, which then falls on both alike.
 */
function fastestMs(...works: (() => void)[]): number[] {
  for (const work of works) work()
  const fastest = works.map(() => Infinity)
  for (let run = 0; run < 3; run++) {
    works.forEach((work, index) => {
      const started = performance.now()
      work()
      fastest[index] = Math.min(fastest[index] ?? Infinity, performance.now() - started)
    })
  }
  return fastest
}

describe('scanning hostile text stays linear', () => {
  it.each(HOSTILE)('scanPem: %s, 8 MiB', (_, make) => {
    const text = make(ANSWER_BYTES)
    const started = performance.now()
    const scan = scanPem(text)
    expect(performance.now() - started).toBeLessThan(WORST_CASE_MS)
    expect(scan.blocks.length).toBeLessThanOrEqual(1)
  })

  // normalisePem serves inputs, which are refused past MAX_PEM_BYTES: linear time is proved around
  // there, by comparing half the cap with twice it. Linear takes about 4 times as long, quadratic 16.
  it.each(HOSTILE)('normalisePem: %s, at half and twice the input cap', (_, make) => {
    const half = make(MAX_PEM_BYTES / 2)
    const twice = make(2 * MAX_PEM_BYTES)
    const [small = 0, large = 0] = fastestMs(
      () => normalisePem(half),
      () => normalisePem(twice),
    )
    expect(large).toBeLessThan(WORST_CASE_MS / 5)
    // 12 leaves room for garbage collection; a floor of 20 ms, as timings of a few milliseconds are
    // mostly noise. A quadratic scan exceeds both by far at these sizes.
    expect(large).toBeLessThan(12 * Math.max(small, 20))
  })
})

describe('labels', () => {
  it.each([
    ['CERTIFICATE', 'certificate'],
    ['X509 CERTIFICATE', 'certificate'],
    ['TRUSTED CERTIFICATE', 'certificate'],
    ['CERTIFICATE REQUEST', 'other'],
    ['PRIVATE KEY', 'private'],
    ['RSA PRIVATE KEY', 'private'],
    ['ENCRYPTED PRIVATE KEY', 'private'],
    ['EC PRIVATE KEY', 'private'],
    ['PUBLIC KEY', 'public'],
    ['RSA PUBLIC KEY', 'public'],
    ['EC PARAMETERS', 'other'],
  ])('%s is a %s label', (label, kind) => {
    expect({
      certificate: isCertificateLabel(label),
      private: isPrivateKeyLabel(label),
      public: isPublicKeyLabel(label),
    }).toEqual({ certificate: kind === 'certificate', private: kind === 'private', public: kind === 'public' })
  })
})

describe('pkcs12Advice', () => {
  /** A .p12 holding a leaf, the intermediate that issued it and the key; undefined without openssl. */
  function makeP12(): { dir: string; leaf: string; intermediate: string } | undefined {
    const { ca } = clientChain('ec')
    const intermediate = issueCertificate({ commonName: 'Intermediate', key: generateKey('ec'), issuer: ca, ca: true })
    const key = generateKey('ec')
    const leaf = issueCertificate({ commonName: 'p12-client', key, issuer: intermediate })
    const dir = mkdtempSync(join(tmpdir(), 'mtls-p12-'))
    writeFileSync(join(dir, 'leaf.pem'), leaf.pem)
    writeFileSync(join(dir, 'chain.pem'), intermediate.pem)
    writeFileSync(join(dir, 'key.pem'), keyPem(key, 'pkcs8'))
    try {
      execFileSync(
        'openssl',
        [
          'pkcs12',
          '-export',
          '-in',
          'leaf.pem',
          '-certfile',
          'chain.pem',
          '-inkey',
          'key.pem',
          '-passout',
          'pass:x',
          '-out',
          'client.p12',
        ],
        { cwd: dir, stdio: 'ignore' },
      )
    } catch {
      return undefined
    }
    return { dir, leaf: leaf.pem, intermediate: intermediate.pem }
  }

  it('gives commands that keep the chain, leaf first (-clcerts alone dropped it)', (context) => {
    const p12 = makeP12()
    if (!p12) return context.skip()
    const advice = pkcs12Advice('client.p12')
    const commands = /with (openssl pkcs12 .+?) and the key/.exec(advice)?.[1] ?? ''
    expect(commands).toContain('-cacerts')
    execFileSync('sh', ['-c', commands.replace(/-nokeys/g, '-nokeys -passin pass:x')], {
      cwd: p12.dir,
      stdio: 'ignore',
    })
    const certificates = scanPem(readFileSync(join(p12.dir, 'client.pem'), 'utf8')).blocks.filter((b) =>
      isCertificateLabel(b.label),
    )
    expect(certificates.map((b) => normalisePem(b.text))).toEqual([
      normalisePem(p12.leaf),
      normalisePem(p12.intermediate),
    ])
  })
})
