/**
 * `npm run build`: dist/ as the runner runs it, bundled by ncc.
 *
 * The action (dist/index.js) loads the manifest step (with its YAML parser) and the Wrangler parsers
 * only when a step needs them (src/main.ts, src/wrangler/parsers.ts): ncc emits those as chunk files
 * beside index.js, which a step without a manifest or Wrangler files never reads. ncc minifies only
 * index.js, and its --license file lists only the packages of the last chunk it wrote, so this
 * script minifies the chunks with terser (the minifier ncc uses) and writes dist/licenses.txt from
 * ncc's record of every bundled module, in ncc's format: name, licence, its text, for each package.
 * The audit action (dist/audit/) is one file, built as before.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { minify } from 'terser'

const ROOT = join(import.meta.dirname, '..')
const DIST = join(ROOT, 'dist')

function ncc(...args: string[]): void {
  const build = spawnSync('ncc', ['build', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

interface StatsModule {
  identifier?: string
  modules?: StatsModule[]
}

/** The folder of each bundled package, from the module paths in ncc's (webpack's) stats. */
function bundledPackages(statsFile: string): Map<string, string> {
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { modules: StatsModule[] }
  const packages = new Map<string, string>()
  const visit = (module: StatsModule): void => {
    // The resource is after the loaders (`loader!…!path`), without webpack's `|hash` suffix.
    const path = (module.identifier ?? '').split('!').pop()?.split('|')[0]?.replaceAll('\\', '/') ?? ''
    const match = /^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(path)
    if (match?.[1] && match[2]) packages.set(match[2], match[1])
    for (const inner of module.modules ?? []) visit(inner)
  }
  for (const module of stats.modules) visit(module)
  return packages
}

function licenceEntry(name: string, folder: string): string {
  const { license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { license?: string }
  const file = readdirSync(folder)
    .sort()
    .find((entry) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(entry))
  const text = file ? readFileSync(join(folder, file), 'utf8').replace(/\r\n?/g, '\n').trim() : ''
  return `${name}\n${license ?? 'UNKNOWN'}\n${text}\n`
}

rmSync(DIST, { recursive: true, force: true })
const work = mkdtempSync(join(tmpdir(), 'mtls-build-'))
const statsFile = join(work, 'stats.json')
ncc('src/index.ts', '-o', 'dist', '--minify', '--stats-out', statsFile)

for (const chunk of readdirSync(DIST).filter((file) => file.endsWith('.js') && file !== 'index.js')) {
  const path = join(DIST, chunk)
  const result = await minify(readFileSync(path, 'utf8'), { module: true, compress: true, mangle: true })
  if (result.code === undefined) throw new Error(`terser gave nothing for ${chunk}`)
  writeFileSync(path, result.code)
}

const packages = [...bundledPackages(statsFile)].filter(([name]) => name !== '@vercel/ncc')
packages.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
writeFileSync(join(DIST, 'licenses.txt'), packages.map(([name, folder]) => licenceEntry(name, folder)).join('\n'))
rmSync(work, { recursive: true, force: true })

ncc('src/audit-index.ts', '-o', 'dist/audit', '--minify', '--license', 'licenses.txt')
