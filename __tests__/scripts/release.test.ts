import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { devNull, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ROOT } from '../../test-kit/run-action.ts'

/**
 * scripts/release.ts, run as a maintainer runs it, in throwaway git repositories: a working clone
 * with released tags, and a bare repository as its `origin`. The dist/ check is the injected
 * RELEASE_CHECK_DIST_COMMAND: a build that copies src/main.js to dist/index.js, then a comparison,
 * as `npm run check-dist` does for the real project.
 */

const SCRIPT = join(ROOT, 'scripts', 'release.ts')
const CHECK_DIST = `"${process.execPath}" build.mjs && git diff --exit-code --quiet -- dist`

/** Git with no user or system configuration (no signing, no hooks), and a fixed identity. */
function gitEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')))
  return {
    ...env,
    GIT_CONFIG_GLOBAL: devNull,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release-test@example.com',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release-test@example.com',
    GIT_TERMINAL_PROMPT: '0',
  }
}

let base = ''
let work: string
let remote: string

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

/** The commit a ref points to, or '' when there is no such ref. */
function commitOf(cwd: string, ref: string): string {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd,
    env: gitEnv(),
    encoding: 'utf8',
  })
  return result.status === 0 ? result.stdout.trim() : ''
}

/** The tags of a repository (local or the bare remote), name → object id. */
function tags(cwd: string): Record<string, string> {
  const listed = git(cwd, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/tags')
  return Object.fromEntries(listed ? listed.split('\n').map((line) => line.split(' ') as [string, string]) : [])
}

interface ReleaseRun {
  status: number | null
  stdout: string
  stderr: string
}

function release(cwd: string, args: string[], env: Record<string, string> = {}): ReleaseRun {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd,
    env: { ...gitEnv(), RELEASE_CHECK_DIST_COMMAND: CHECK_DIST, ...env },
    encoding: 'utf8',
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function write(cwd: string, path: string, text: string): void {
  mkdirSync(join(cwd, path, '..'), { recursive: true })
  writeFileSync(join(cwd, path), text)
}

/** A release commit: package.json's version, a CHANGELOG section, and optionally a change to src/ and dist/. */
function commitRelease(cwd: string, version: string, options: { source?: string; buildDist?: boolean } = {}): void {
  write(cwd, 'package.json', `${JSON.stringify({ name: 'demo', version }, null, 2)}\n`)
  const changelog = readFileSync(join(cwd, 'CHANGELOG.md'), 'utf8')
  write(
    cwd,
    'CHANGELOG.md',
    changelog.replace(
      '## [Unreleased]\n',
      `## [Unreleased]\n\n## [${version}] - 2026-11-26\n\n- Change for ${version}.\n`,
    ),
  )
  if (options.source !== undefined) {
    write(cwd, 'src/main.js', options.source)
    if (options.buildDist ?? true) write(cwd, 'dist/index.js', options.source)
  }
  git(cwd, 'add', '--all')
  git(cwd, 'commit', '--quiet', '--message', `Release ${version}`)
}

/**
 * The repositories every test starts from, built once and copied per test (a copy costs no git
 * command): `released`, a clone with v1.0.0 and v1 pushed to its bare `origin`; `prepared`, the same
 * with a release commit for 1.1.0 on main, not pushed. The clone names its origin by a relative path,
 * so that a copy pushes to its own copy of the remote.
 */
const templates = { root: '', released: '', prepared: '' }

function buildTemplates(): void {
  templates.root = mkdtempSync(join(tmpdir(), 'release-template-'))
  templates.released = join(templates.root, 'released')
  const work = join(templates.released, 'work')
  git(templates.root, 'init', '--quiet', '--bare', '--initial-branch=main', join(templates.released, 'remote.git'))
  git(templates.root, 'init', '--quiet', '--initial-branch=main', work)
  write(work, 'build.mjs', "import { copyFileSync } from 'node:fs'\ncopyFileSync('src/main.js', 'dist/index.js')\n")
  write(work, 'src/main.js', 'one\n')
  write(work, 'dist/index.js', 'one\n')
  write(work, 'CHANGELOG.md', '# Changelog\n\n## [Unreleased]\n')
  commitRelease(work, '1.0.0')
  // The existing release: v1.0.0 and the major tag v1, both annotated, pushed.
  git(work, 'tag', '--annotate', 'v1.0.0', '--message', 'v1.0.0')
  git(work, 'tag', '--annotate', 'v1', '--message', 'v1: v1.0.0')
  git(work, 'remote', 'add', 'origin', '../remote.git')
  git(work, 'push', '--quiet', '--set-upstream', 'origin', 'main', 'refs/tags/v1.0.0', 'refs/tags/v1')
  templates.prepared = join(templates.root, 'prepared')
  cpSync(templates.released, templates.prepared, { recursive: true })
  commitRelease(join(templates.prepared, 'work'), '1.1.0', { source: 'two\n' })
}

/** A fresh copy of a template as this test's repositories. */
function startFrom(template: string): void {
  if (base) rmSync(base, { recursive: true, force: true })
  base = mkdtempSync(join(tmpdir(), 'release-test-'))
  cpSync(template, base, { recursive: true })
  work = join(base, 'work')
  remote = join(base, 'remote.git')
}

beforeAll(buildTemplates)
afterAll(() => {
  rmSync(templates.root, { recursive: true, force: true })
})
beforeEach(() => {
  startFrom(templates.released)
})
afterEach(() => {
  rmSync(base, { recursive: true, force: true })
  base = ''
})

describe('scripts/release.ts', () => {
  it('creates the annotated tag, moves the major tag, and prints the push command without pushing', () => {
    startFrom(templates.prepared)
    const v1Before = tags(work).v1
    const head = commitOf(work, 'HEAD')

    const run = release(work, ['1.1.0'])

    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(git(work, 'cat-file', '-t', 'v1.1.0')).toBe('tag')
    expect(commitOf(work, 'v1.1.0')).toBe(head)
    expect(git(work, 'cat-file', '-t', 'v1')).toBe('tag')
    expect(commitOf(work, 'v1')).toBe(head)
    // The tag's message carries the CHANGELOG section, headings included.
    const message = git(work, 'tag', '--list', '--format=%(contents)', 'v1.1.0')
    expect(message).toContain('## [1.1.0] - 2026-11-26')
    expect(message).toContain('- Change for 1.1.0.')
    expect(message).not.toContain('1.0.0')
    expect(run.stdout).toContain('Moved v1 from v1.0.0 to v1.1.0')

    // Nothing reached the remote.
    expect(commitOf(remote, 'v1')).toBe(commitOf(work, 'v1.0.0'))
    expect(tags(remote)['v1.1.0']).toBeUndefined()

    // The printed command publishes both tags.
    const command = /^ {2}(git push .*)$/m.exec(run.stdout)?.[1] ?? ''
    expect(command).toBe(
      `git push --atomic --force-with-lease=refs/tags/v1:${v1Before ?? ''} origin refs/tags/v1.1.0 refs/tags/v1`,
    )
    git(work, ...command.split(' ').slice(1))
    expect(commitOf(remote, 'v1.1.0')).toBe(head)
    expect(commitOf(remote, 'v1')).toBe(head)
  })

  it("pushes both tags when asked, from the tip of the remote's main", () => {
    startFrom(templates.prepared)
    git(work, 'push', '--quiet', 'origin', 'main')
    const head = commitOf(work, 'HEAD')

    const run = release(work, ['v1.1.0', '--push'])

    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Pushed v1.1.0 and v1.')
    expect(commitOf(remote, 'v1.1.0')).toBe(head)
    expect(commitOf(remote, 'v1')).toBe(head)
    expect(tags(remote)).toEqual(tags(work))
  })

  describe("refuses --push unless HEAD is the tip of the remote's main, and tags nothing,", () => {
    const refusedPush = (run: ReleaseRun, where: RegExp): void => {
      expect(run.status).toBe(1)
      expect(run.stderr).toMatch(
        /^release: refused: --push releases only the tip of origin's main, and HEAD \([0-9a-f]{7}\) is not: /m,
      )
      expect(run.stderr).toMatch(where)
      expect(run.stdout).not.toContain('Checking that dist/')
      expect(tags(work)).toEqual(tags(remote))
      expect(Object.keys(tags(remote)).sort()).toEqual(['v1', 'v1.0.0'])
    }

    it('from another branch', () => {
      git(work, 'checkout', '--quiet', '-b', 'feature')
      commitRelease(work, '1.1.0', { source: 'two\n' })
      git(work, 'push', '--quiet', 'origin', 'feature')
      refusedPush(
        release(work, ['1.1.0', '--push']),
        /origin's main is at [0-9a-f]{7}\. Merge the release commit into main/,
      )
    })

    it('from a main not pushed yet', () => {
      startFrom(templates.prepared)
      refusedPush(release(work, ['1.1.0', '--push']), /origin's main is at [0-9a-f]{7}/)
    })

    it("from a main behind the remote's, even when the remote-tracking branch is stale", () => {
      startFrom(templates.prepared)
      git(work, 'push', '--quiet', 'origin', 'main')
      // Someone else pushes to main; this clone's origin/main still says HEAD.
      const other = join(base, 'other')
      git(base, 'clone', '--quiet', '--branch', 'main', remote, other)
      write(other, 'later.txt', 'later\n')
      git(other, 'add', 'later.txt')
      git(other, 'commit', '--quiet', '--message', 'later')
      git(other, 'push', '--quiet', 'origin', 'main')
      expect(commitOf(work, 'origin/main')).toBe(commitOf(work, 'HEAD'))
      refusedPush(
        release(work, ['1.1.0', '--push']),
        new RegExp(`origin's main is at ${commitOf(other, 'HEAD').slice(0, 7)}`),
      )
    })

    it('when the remote has no main', () => {
      startFrom(templates.prepared)
      git(remote, 'update-ref', '-d', 'refs/heads/main')
      refusedPush(release(work, ['1.1.0', '--push']), /origin has no main branch/)
    })
  })

  it('creates the major tag for a new major version', () => {
    commitRelease(work, '2.0.0', { source: 'two\n' })

    const run = release(work, ['2.0.0'])

    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Created v2 at v2.0.0')
    expect(commitOf(work, 'v2')).toBe(commitOf(work, 'HEAD'))
    expect(commitOf(work, 'v1')).toBe(commitOf(work, 'v1.0.0'))
    expect(run.stdout).toContain('--force-with-lease=refs/tags/v2: origin refs/tags/v2.0.0 refs/tags/v2')
  })

  describe('refuses, and creates no tag,', () => {
    let before: Record<string, string>
    const refused = (run: ReleaseRun, reason: RegExp): void => {
      expect(run.status).toBe(1)
      expect(run.stderr).toMatch(/^release: refused: /m)
      expect(run.stderr).toMatch(reason)
      expect(tags(work)).toEqual(before)
    }

    beforeEach(() => {
      startFrom(templates.prepared)
      before = tags(work)
    })

    // A dirty tree is refused before anything else runs, the dist/ check included.
    const refusedDirty = (run: ReleaseRun, file: string): void => {
      refused(run, new RegExp(`working tree is not clean; commit or stash first:\\n.*${file.replace('.', '\\.')}`))
      expect(run.stdout).not.toContain('Checking that dist/')
    }

    it('with a changed tracked file', () => {
      write(work, 'src/main.js', 'three\n')
      refusedDirty(release(work, ['1.1.0']), 'src/main.js')
    })

    it('with an untracked file', () => {
      write(work, 'notes.txt', 'draft\n')
      refusedDirty(release(work, ['1.1.0']), 'notes.txt')
    })

    it('with a staged change', () => {
      write(work, 'README.md', 'staged\n')
      git(work, 'add', 'README.md')
      refusedDirty(release(work, ['1.1.0']), 'README.md')
    })

    it('when dist/ is not what src/ builds to', () => {
      commitRelease(work, '1.2.0', { source: 'three\n', buildDist: false })
      before = tags(work)
      refused(release(work, ['1.2.0']), /dist\/ is not what src\/ builds to/)
    })

    it('when the dist/ check passes but changes files', () => {
      const run = release(work, ['1.1.0'], { RELEASE_CHECK_DIST_COMMAND: 'echo changed > dist/extra.js' })
      refused(run, /the dist\/ check changed files, so dist\/ is not what src\/ builds to: [^\n]*\n.*dist\/extra\.js/)
    })

    it('when the dist/ check cannot run', () => {
      const run = release(work, ['1.1.0'], { RELEASE_CHECK_DIST_COMMAND: 'no-such-command-for-release-test' })
      refused(run, /dist\/ is not what src\/ builds to/)
    })

    it('with a version equal to the latest tag', () => {
      refused(release(work, ['1.0.0']), /v1\.0\.0 is not greater than the latest release tag, v1\.0\.0/)
    })

    it('with a version lower than the latest tag', () => {
      git(work, 'tag', '--annotate', 'v1.5.0', '--message', 'v1.5.0', 'HEAD~1')
      before = tags(work)
      refused(release(work, ['1.1.0']), /v1\.1\.0 is not greater than the latest release tag, v1\.5\.0/)
    })

    it('with a version lower than a later major release, wherever that tag is', () => {
      git(work, 'checkout', '--quiet', '-b', 'next', 'HEAD~1')
      commitRelease(work, '2.0.0', { source: 'two\n' })
      git(work, 'tag', '--annotate', 'v2.0.0', '--message', 'v2.0.0')
      git(work, 'checkout', '--quiet', 'main')
      before = tags(work)
      refused(release(work, ['1.1.0']), /not greater than the latest release tag, v2\.0\.0/)
    })

    it('when the major tag would move backwards', () => {
      // v1 was moved (by hand, or by a release from another branch) to a commit this one does not contain.
      git(work, 'checkout', '--quiet', '-b', 'elsewhere', 'HEAD~1')
      write(work, 'other.txt', 'other\n')
      git(work, 'add', 'other.txt')
      git(work, 'commit', '--quiet', '--message', 'other')
      git(work, 'tag', '--force', '--annotate', 'v1', '--message', 'v1 moved')
      git(work, 'checkout', '--quiet', 'main')
      before = tags(work)
      refused(
        release(work, ['1.1.0']),
        /v1 would move backwards: the major tag, v1 \([0-9a-f]+\), is not an ancestor of HEAD/,
      )
    })

    it('when the release commit does not contain the latest release of its major version', () => {
      git(work, 'tag', '--annotate', 'v1.0.1', '--message', 'v1.0.1')
      git(work, 'checkout', '--quiet', '-b', 'old', 'HEAD~1')
      commitRelease(work, '1.1.0', { source: 'old\n' })
      before = tags(work)
      refused(release(work, ['1.1.0']), /v1 would move backwards: the latest release of this major version, v1\.0\.1/)
    })

    it("when package.json's version differs", () => {
      commitRelease(work, '1.2.0')
      write(work, 'package.json', '{ "version": "1.1.0" }\n')
      git(work, 'commit', '--quiet', '--all', '--message', 'version')
      before = tags(work)
      refused(release(work, ['1.2.0']), /package\.json's version is 1\.1\.0, not 1\.2\.0/)
    })

    it('when CHANGELOG.md has no section for the version', () => {
      write(work, 'package.json', '{ "version": "1.2.0" }\n')
      git(work, 'commit', '--quiet', '--all', '--message', 'version')
      refused(release(work, ['1.2.0']), /CHANGELOG\.md has no '## \[1\.2\.0\]' section/)
    })
  })

  it.each([[[]], [['1.2']], [['1.2.3-beta.1']], [['01.2.3']], [['1.2.3', '1.2.4']], [['1.2.3', '--bogus']]])(
    'refuses the arguments %j with the usage',
    (args) => {
      const before = tags(work)
      const run = release(work, args)
      expect(run.status).toBe(2)
      expect(run.stderr).toContain('usage: npm run release -- <X.Y.Z>')
      expect(tags(work)).toEqual(before)
    },
  )

  it('leaves a remote major tag that moved on alone, and puts the local tags back', () => {
    // Another clone released 1.1.0 and moved the remote's v1; this clone has not fetched since.
    const other = join(base, 'other')
    git(base, 'clone', '--quiet', '--branch', 'main', remote, other)
    commitRelease(other, '1.1.0', { source: 'two\n' })
    git(other, 'push', '--quiet', 'origin', 'main')
    expect(release(other, ['1.1.0', '--push']).status).toBe(0)
    const remoteBefore = tags(remote)

    // This clone then brings main up to date (which does not move its local v1) and releases from it.
    git(work, 'pull', '--quiet', '--ff-only', 'origin', 'main')
    commitRelease(work, '1.2.0', { source: 'three\n' })
    git(work, 'push', '--quiet', 'origin', 'main')
    const before = tags(work)
    const run = release(work, ['1.2.0', '--push'])

    expect(run.status).toBe(1)
    expect(run.stderr).toContain('the push failed, so nothing was pushed, and the local tags are back as they were')
    expect(run.stderr).toContain("The remote's v1 is at")
    expect(tags(remote)).toEqual(remoteBefore)
    expect(tags(work)).toEqual(before)
  })

  it('tags the first release of a repository without tags', () => {
    for (const name of Object.keys(tags(work))) git(work, 'tag', '--delete', name)

    const run = release(work, ['1.0.0'])

    expect(run.status).toBe(0)
    expect(run.stdout).toContain('Created v1 at v1.0.0')
    expect(Object.keys(tags(work)).sort()).toEqual(['v1', 'v1.0.0'])
  })
})
