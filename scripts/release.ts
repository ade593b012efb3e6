/**
 * `npm run release -- <version> [--push] [--remote <name>]`: tags a release that workflows can pin.
 *
 *   npm run release -- 1.2.3            # checks, tags v1.2.3, moves v1 to it, prints the push command
 *   npm run release -- 1.2.3 --push     # the same, then pushes both tags to origin
 *
 * Run it on the commit to release (normally the tip of main, pushed), after a commit that renames the
 * CHANGELOG's Unreleased section to the version and sets package.json's version. It refuses, and
 * changes nothing, unless:
 *   - the version is X.Y.Z (a leading v is accepted), greater than every vX.Y.Z tag in the repository;
 *   - the working tree is clean (no changed, staged or untracked files);
 *   - with --push: HEAD is the tip of the remote's main (asked of the remote, not of a stale
 *     remote-tracking branch), so that vX never moves to a commit on no remote branch;
 *   - package.json's version is X.Y.Z and CHANGELOG.md has a `## [X.Y.Z]` section;
 *   - the release commit descends from the commit the major tag vX points to now, and from the latest
 *     vX.* release: the major tag only ever moves forward;
 *   - dist/ is what src/ builds to: `npm run check-dist` (which rebuilds dist/ and compares) passes and
 *     leaves the tree clean. RELEASE_CHECK_DIST_COMMAND replaces that command (the tests use it).
 * Then it creates the annotated tag vX.Y.Z, whose message holds the CHANGELOG section, and creates or
 * moves the annotated major tag vX to the same commit. The push is atomic, and it moves the remote's
 * vX only if that is still the tag this clone moved (--force-with-lease), so a stale clone cannot move
 * it backwards. Exit status: 0 done, 1 refused or failed, 2 wrong arguments.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

const USAGE = 'usage: npm run release -- <X.Y.Z> [--push] [--remote <name>]'

/** A check failed: nothing was changed. */
class Refusal extends Error {}
/** The command line is wrong. */
class UsageError extends Error {}

type Version = readonly [number, number, number]

const format = (version: Version): string => `v${version.join('.')}`

function parseVersion(text: string): Version | undefined {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.exec(text)
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

function git(...args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
}

/** The object a ref resolves to, or undefined when there is no such ref. */
function resolve(ref: string): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], { encoding: 'utf8' })
  return result.status === 0 ? result.stdout.trim() : undefined
}

/** The release tag at a commit (vX.Y.Z), or its short hash. */
function describe(commit: string): string {
  const result = spawnSync('git', ['describe', '--tags', '--exact-match', '--match', 'v*.*.*', commit], {
    encoding: 'utf8',
  })
  return result.status === 0 ? result.stdout.trim() : git('rev-parse', '--short', commit)
}

/** What the remote's major tag is, next to what this clone had: the usual reason for a refused push. */
function remoteMajor(remote: string, major: string, local: string | undefined): string {
  const listed = spawnSync('git', ['ls-remote', '--tags', remote, `refs/tags/${major}^{}`], { encoding: 'utf8' })
  if (listed.status !== 0) return ''
  const commit = listed.stdout.split('\t')[0]?.trim()
  const at = commit
    ? `is at ${resolve(`${commit}^{commit}`) ? describe(commit) : commit.slice(0, 7)}`
    : 'does not exist'
  return `The remote's ${major} ${at}; this clone's was ${local ? `at ${local}` : 'not there'}.`
}

const isAncestor = (ancestor: string, descendant: string): boolean =>
  spawnSync('git', ['merge-base', '--is-ancestor', ancestor, descendant]).status === 0

function requireCleanTree(problem: string): void {
  const status = git('status', '--porcelain', '--untracked-files=all')
  if (status) {
    const files = status.split('\n').slice(0, 10).join('\n  ')
    throw new Refusal(`${problem}:\n  ${files}`)
  }
}

/**
 * --push publishes only the tip of the remote's main: a release from another branch, or from a main
 * not pushed yet, would move vX to a commit on no remote branch. Asks the remote itself, not the
 * remote-tracking branch, which may be stale.
 */
function requireRemoteMain(remote: string, head: string): void {
  const listed = spawnSync('git', ['ls-remote', '--heads', remote, 'refs/heads/main'], { encoding: 'utf8' })
  if (listed.status !== 0) {
    throw new Refusal(
      `--push needs to know ${remote}'s main, and 'git ls-remote ${remote}' failed: ${listed.stderr.trim() || `exit ${listed.status ?? listed.signal ?? '?'}`}`,
    )
  }
  const remoteMain = listed.stdout.split('\t')[0]?.trim()
  if (remoteMain === head) return
  const where = remoteMain ? `${remote}'s main is at ${remoteMain.slice(0, 7)}` : `${remote} has no main branch`
  throw new Refusal(
    `--push releases only the tip of ${remote}'s main, and HEAD (${head.slice(0, 7)}) is not: ${where}. Merge the release commit into main and push it (git push ${remote} HEAD:main), then run the release there; or run without --push to tag locally and review.`,
  )
}

/** The `## [X.Y.Z]` section of CHANGELOG.md, heading included, or undefined. */
function changelogSection(root: string, version: string): string | undefined {
  const file = join(root, 'CHANGELOG.md')
  if (!existsSync(file)) return undefined
  const lines = readFileSync(file, 'utf8').split(/\r?\n/)
  const start = lines.findIndex((line) => line.startsWith(`## [${version}]`))
  if (start < 0) return undefined
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line))
  return lines
    .slice(start, end < 0 ? undefined : end)
    .join('\n')
    .trim()
}

function release(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { push: { type: 'boolean', default: false }, remote: { type: 'string', default: 'origin' } },
  })
  const version = positionals.length === 1 ? parseVersion(positionals[0] ?? '') : undefined
  if (!version)
    throw new UsageError(
      `give one version as X.Y.Z, such as 1.2.3${positionals.length ? `, not '${positionals.join(' ')}'` : ''}`,
    )
  const tag = format(version)
  const plain = version.join('.')
  const major = `v${version[0]}`

  const root = git('rev-parse', '--show-toplevel')
  process.chdir(root)
  const head = git('rev-parse', 'HEAD')

  requireCleanTree('the working tree is not clean; commit or stash first')
  if (values.push) requireRemoteMain(values.remote, head)

  const released = git('tag', '--list', 'v*')
    .split('\n')
    .map((name) => ({ name, version: /^v\d+\.\d+\.\d+$/.test(name) ? parseVersion(name) : undefined }))
    .filter((t): t is { name: string; version: Version } => t.version !== undefined)
    .sort((a, b) => compare(a.version, b.version))
  const latest = released.at(-1)
  if (latest && compare(version, latest.version) <= 0) {
    throw new Refusal(`${tag} is not greater than the latest release tag, ${latest.name}`)
  }

  // The major tag moves forward only: the release must contain what vX and the latest vX.* release hold.
  const majorBefore = resolve(`refs/tags/${major}`)
  const latestInMajor = released.filter((t) => t.version[0] === version[0]).at(-1)
  for (const [name, what] of [
    [major, 'the major tag'],
    [latestInMajor?.name, 'the latest release of this major version'],
  ] as const) {
    if (!name || !resolve(`refs/tags/${name}`)) continue
    if (!isAncestor(`refs/tags/${name}^{commit}`, head)) {
      throw new Refusal(
        `${major} would move backwards: ${what}, ${name} (${git('rev-parse', '--short', `refs/tags/${name}^{commit}`)}), is not an ancestor of HEAD (${head.slice(0, 7)}). Release from a commit that contains it, normally the tip of main.`,
      )
    }
  }

  const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version
  if (packageVersion !== plain) {
    throw new Refusal(
      `package.json's version is ${packageVersion ?? '(none)'}, not ${plain}: set it in the release commit`,
    )
  }
  const notes = changelogSection(root, plain)
  if (!notes) {
    throw new Refusal(
      `CHANGELOG.md has no '## [${plain}]' section: rename Unreleased to '## [${plain}] - <date>' in the release commit`,
    )
  }

  const checkDist = process.env.RELEASE_CHECK_DIST_COMMAND ?? 'npm run check-dist'
  console.log(`Checking that dist/ is current: ${checkDist}`)
  const check = spawnSync(checkDist, { shell: true, stdio: ['ignore', 'inherit', 'inherit'] })
  if (check.status !== 0) {
    throw new Refusal(
      `dist/ is not what src/ builds to ('${checkDist}' exited with ${check.status ?? check.signal ?? 'an error'}): run npm run build and commit dist/`,
    )
  }
  requireCleanTree(
    'the dist/ check changed files, so dist/ is not what src/ builds to: run npm run build and commit dist/',
  )

  const from = majorBefore ? describe(`${majorBefore}^{commit}`) : undefined
  // whitespace, not the default strip: the CHANGELOG's headings start with #, which strip removes.
  git('tag', '--annotate', '--cleanup=whitespace', tag, '--message', `${tag}\n\n${notes}`, head)
  git('tag', '--force', '--annotate', major, '--message', `${major}: ${tag}`, head)
  console.log(`Tagged ${tag} at ${git('log', '-1', '--format=%h %s', head)}`)
  console.log(from ? `Moved ${major} from ${from} to ${tag}` : `Created ${major} at ${tag}`)
  if (!git('branch', '--remotes', '--contains', head)) {
    console.log(
      `Note: ${head.slice(0, 7)} is on no remote branch this clone knows of: push it to main as well (git push ${values.remote} HEAD:main), so that the release is part of main's history.`,
    )
  }

  // The lease makes the push move the remote's vX only from the tag this clone had (or create it if
  // it had none): a remote vX moved on since then (a newer release from another clone) is left alone.
  const pushArgs = [
    'push',
    '--atomic',
    `--force-with-lease=refs/tags/${major}:${majorBefore ?? ''}`,
    values.remote,
    `refs/tags/${tag}`,
    `refs/tags/${major}`,
  ]
  const pushCommand = `git ${pushArgs.join(' ')}`
  if (!values.push) {
    console.log(
      `\nNothing is pushed yet. To publish both tags (${major} is ${majorBefore ? 'moved' : 'created'} on the remote):\n  ${pushCommand}`,
    )
    console.log(`Then create a GitHub release from ${tag}, with the CHANGELOG section as its notes.`)
    return
  }
  console.log(`\nPushing: ${pushCommand}`)
  const push = spawnSync('git', pushArgs, { stdio: ['ignore', 'inherit', 'inherit'] })
  if (push.status !== 0) {
    // The push is atomic, so nothing was pushed: put the local tags back as they were.
    git('tag', '--delete', tag)
    if (majorBefore) git('update-ref', `refs/tags/${major}`, majorBefore)
    else git('tag', '--delete', major)
    throw new Refusal(
      `the push failed, so nothing was pushed, and the local tags are back as they were. ${remoteMajor(values.remote, major, from)} Fetch the remote's tags (git fetch --tags --force ${values.remote}), check them, and run the release again.`,
    )
  }
  console.log(
    `Pushed ${tag} and ${major}. Then create a GitHub release from ${tag}, with the CHANGELOG section as its notes.`,
  )
}

try {
  release(process.argv.slice(2))
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
    console.error(`release: ${message}\n${USAGE}`)
    process.exit(2)
  }
  console.error(`release: refused: ${message}`)
  process.exit(1)
}
