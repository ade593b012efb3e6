import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { MAX_PEM_BYTES, readPemFile, readTextFile } from '../../../src/certificate/pem-file.ts'
import { makeWorkspace } from '../../../test-kit/fixtures.ts'

/** Reading the files certificate-path and private-key-path name: what is read, and what is refused and why. */

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBcertificatebody\n-----END CERTIFICATE-----\n'

const workspaces: string[] = []
const workspace = (files: Record<string, string | Buffer>): string => {
  const path = makeWorkspace(files)
  workspaces.push(path)
  return path
}
afterAll(() => {
  for (const path of workspaces) rmSync(path, { recursive: true, force: true })
})

/** The message of the InputError `read` throws; fails the test if it returns or throws something else. */
function refusal(read: () => unknown): string {
  try {
    read()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('the file was read')
}

const certificateError = (root: string, path: string): string =>
  refusal(() => readPemFile('certificate-path', path, root))

describe('readPemFile', () => {
  it('reads a relative path against the workspace, not the current directory', () => {
    const root = workspace({ 'certs/client.pem': CERTIFICATE })
    expect(readPemFile('certificate-path', 'certs/client.pem', root)).toBe(CERTIFICATE)
    expect(certificateError(process.cwd(), 'certs/client.pem')).toMatch(/does not exist/)
  })

  it.each([
    ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CERTIFICATE, 'utf16le')])],
    ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CERTIFICATE, 'utf16le').swap16()])],
    [
      'UTF-16BE with a stray odd byte',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(CERTIFICATE, 'utf16le').swap16(), Buffer.from([0x0a])]),
    ],
  ])('reads a %s file with a byte-order mark as text', (_, bytes) => {
    const root = workspace({ 'certs/client.pem': bytes })
    expect(readPemFile('certificate-path', 'certs/client.pem', root)).toBe(CERTIFICATE)
  })

  it('reads an absolute path as it is', () => {
    const root = workspace({ 'client.pem': CERTIFICATE })
    const other = workspace({})
    expect(readPemFile('certificate-path', join(root, 'client.pem'), other)).toBe(CERTIFICATE)
  })

  it('names the full path it looked for when the file is missing', () => {
    const root = workspace({})
    expect(certificateError(root, 'certs/missing.pem')).toContain(
      `file 'certs/missing.pem' does not exist (looked for ${join(root, 'certs/missing.pem')})`,
    )
  })

  it('rejects a directory and a file over the size limit', () => {
    const root = workspace({ 'certs/a.txt': 'x', 'big.pem': 'A'.repeat(MAX_PEM_BYTES + 1) })
    expect(certificateError(root, 'certs')).toMatch(/'certs' is a directory/)
    expect(certificateError(root, 'big.pem')).toMatch(/'big\.pem' is larger than 256 KiB/)
  })

  it('accepts a file of exactly the size limit', () => {
    const root = workspace({ 'edge.pem': 'A'.repeat(MAX_PEM_BYTES) })
    expect(readPemFile('certificate-path', 'edge.pem', root)).toHaveLength(MAX_PEM_BYTES)
  })

  describe.skipIf(process.platform === 'win32')('files that are not regular files, and symbolic links', () => {
    it('refuses a FIFO at once, for the certificate and for the key, rather than wait for a writer', () => {
      const root = workspace({})
      execFileSync('mkfifo', [join(root, 'pipe.pem')])
      expect(certificateError(root, 'pipe.pem')).toBe(
        "Input 'certificate-path': 'pipe.pem' is a named pipe (FIFO), not a regular file. Give the path of the PEM file itself, or pass the PEM text through certificate.",
      )
      expect(refusal(() => readPemFile('private-key-path', 'pipe.pem', root))).toBe(
        "Input 'private-key-path': 'pipe.pem' is a named pipe (FIFO), not a regular file. Give the path of the PEM file itself, or pass the PEM text through private-key.",
      )
    })

    it('refuses a character device', () => {
      expect(certificateError(workspace({}), '/dev/null')).toMatch(
        /^Input 'certificate-path': '\/dev\/null' is a character device, not a regular file\./,
      )
    })

    it('follows a symbolic link to a regular file, relative or absolute', () => {
      const root = workspace({ 'real/client.pem': CERTIFICATE })
      mkdirSync(join(root, 'certs'))
      symlinkSync('../real/client.pem', join(root, 'certs/relative.pem'))
      symlinkSync(join(root, 'real/client.pem'), join(root, 'certs/absolute.pem'))
      expect(readPemFile('certificate-path', 'certs/relative.pem', root)).toBe(CERTIFICATE)
      expect(readPemFile('certificate-path', 'certs/absolute.pem', root)).toBe(CERTIFICATE)
    })

    it('says a symbolic link loop is one', () => {
      const root = workspace({})
      symlinkSync('b.pem', join(root, 'a.pem'))
      symlinkSync('a.pem', join(root, 'b.pem'))
      expect(certificateError(root, 'a.pem')).toBe(
        "Input 'certificate-path': 'a.pem' is a symbolic link loop: following it leads back to itself. Point the link at the PEM file, or give the file's own path.",
      )
    })

    it('names the missing target of a dangling symbolic link', () => {
      const root = workspace({})
      symlinkSync('gone.pem', join(root, 'client.pem'))
      expect(certificateError(root, 'client.pem')).toBe(
        "Input 'certificate-path': 'client.pem' is a symbolic link to 'gone.pem', which does not exist. Point the link at the PEM file, or give the file's own path.",
      )
    })
  })
})

describe('readTextFile', () => {
  const subject = { label: 'manifest.yml:4: certificate', relativeTo: "the manifest's folder", noun: 'manifest' }

  it('names the file by its subject: the label, what a relative path is taken from, and what the file is', () => {
    const root = workspace({ 'certs/a.txt': 'x' })
    expect(refusal(() => readTextFile(subject, 'gone.yml', join(root, 'gone.yml')))).toBe(
      `manifest.yml:4: certificate: file 'gone.yml' does not exist (looked for ${join(root, 'gone.yml')}). Check the path, relative to the manifest's folder, and that the workflow checks the repository out (actions/checkout) before this step.`,
    )
    expect(refusal(() => readTextFile(subject, 'certs', join(root, 'certs')))).toBe(
      "manifest.yml:4: certificate: 'certs' is a directory; give the path of the manifest inside it.",
    )
  })

  it.skipIf(process.platform === 'win32')('suggests no other way to give the text when the subject has none', () => {
    const root = workspace({})
    execFileSync('mkfifo', [join(root, 'pipe.yml')])
    expect(refusal(() => readTextFile(subject, 'pipe.yml', join(root, 'pipe.yml')))).toBe(
      "manifest.yml:4: certificate: 'pipe.yml' is a named pipe (FIFO), not a regular file. Give the path of the manifest itself.",
    )
  })
})
