import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/errors.ts'
import { pathInWorkspace, type PathSubject } from '../../../src/core/workspace-path.ts'

const SUBJECT: PathSubject = { label: "Input 'wrangler-config'", relativeTo: 'the repository root' }

const workspace = (): string => {
  const root = mkdtempSync(join(tmpdir(), 'workspace-path-'))
  const inside = join(root, 'repo')
  mkdirSync(join(inside, 'certs'), { recursive: true })
  return inside
}

const refusal = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('the path was accepted')
}

describe('pathInWorkspace', () => {
  it('gives the full path of a path inside the workspace, existing or not, from the base given', () => {
    const root = workspace()
    expect(pathInWorkspace(SUBJECT, 'certs/client.pem', root)).toBe(join(root, 'certs/client.pem'))
    expect(pathInWorkspace(SUBJECT, 'not-yet.toml', root)).toBe(join(root, 'not-yet.toml'))
    expect(pathInWorkspace(SUBJECT, '../ca.pem', root, join(root, 'certs'))).toBe(join(root, 'ca.pem'))
    expect(pathInWorkspace(SUBJECT, '..x.yml', root)).toBe(join(root, '..x.yml'))
    expect(pathInWorkspace(SUBJECT, '.', root)).toBe(root)
  })

  it('refuses an absolute path, POSIX or Windows', () => {
    const root = workspace()
    expect(refusal(() => pathInWorkspace(SUBJECT, '/etc/passwd', root))).toBe(
      "Input 'wrangler-config': '/etc/passwd' is an absolute path: give it relative to the repository root, inside the repository.",
    )
    expect(refusal(() => pathInWorkspace(SUBJECT, 'C:\\secrets.pem', root))).toMatch(
      /^Input 'wrangler-config': 'C:\\secrets\.pem' is an absolute path/,
    )
  })

  it('refuses a path that climbs out of the workspace', () => {
    const root = workspace()
    expect(refusal(() => pathInWorkspace(SUBJECT, '../outside.pem', root))).toBe(
      `Input 'wrangler-config': '../outside.pem' leads out of the workspace (${root}): keep the file inside the repository, and the path relative to the repository root.`,
    )
    expect(refusal(() => pathInWorkspace(SUBJECT, '..', root))).toMatch(/'\.\.' leads out of the workspace/)
  })

  it('refuses a symbolic link that leads outside, directly or through a folder, and allows one that stays inside', () => {
    const root = workspace()
    symlinkSync('/etc/hostname', join(root, 'escape.pem'))
    symlinkSync('/etc', join(root, 'etc'))
    symlinkSync(join(root, 'certs'), join(root, 'alias'))
    const message =
      "Input 'wrangler-config': 'escape.pem' is or passes through a symbolic link that leads out of the workspace: keep the file itself inside the repository."
    expect(refusal(() => pathInWorkspace(SUBJECT, 'escape.pem', root))).toBe(message)
    expect(refusal(() => pathInWorkspace(SUBJECT, 'etc/hostname', root))).toMatch(
      /'etc\/hostname' is or passes through a symbolic link/,
    )
    expect(pathInWorkspace(SUBJECT, 'alias/client.pem', root)).toBe(join(root, 'alias/client.pem'))
  })
})
