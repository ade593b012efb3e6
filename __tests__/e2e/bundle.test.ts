import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { FakeCloudflare } from '../../test-kit/fake-cloudflare.ts'
import { clientInputs, makeClient, makeWorkspace } from '../../test-kit/fixtures.ts'
import { ROOT, runAction } from '../../test-kit/run-action.ts'
import { useStandIn } from '../support/stand-in-hooks.ts'

const dist = join(ROOT, 'dist')
const scripts = readdirSync(dist).filter((file) => file.endsWith('.js'))
const chunks = scripts.filter((file) => file !== 'index.js')
const textOf = (file: string): string => readFileSync(join(dist, file), 'utf8')
const occurrences = (source: string, text: string): number => source.split(text).length - 1

describe('the committed bundle', () => {
  it('is an ES module, as action.yml runs it, with the chunks it loads on demand beside it, all minified', () => {
    expect(scripts).toContain('index.js')
    expect(chunks.length).toBeGreaterThan(0)
    for (const file of chunks) expect(file).toMatch(/^\d+\.index\.js$/)
    // Minified: long lines (only text in template literals keeps its line breaks), none of webpack's
    // comments (ncc leaves its chunks as they are).
    for (const file of scripts) {
      const text = textOf(file)
      expect(text.length / text.split('\n').length, file).toBeGreaterThan(100)
      expect(text, file).not.toMatch(/^\s*\/\/ /m)
      expect(text, file).not.toContain('/***/')
    }
    expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
  })

  it('has the audit action in its own folder, one ES module too', () => {
    const audit = join(dist, 'audit')
    expect(readdirSync(audit).filter((file) => file.endsWith('.js'))).toEqual(['index.js'])
    // dist/package.json's "type": "module" covers the sub-folder as well.
    expect(JSON.parse(readFileSync(join(audit, 'package.json'), 'utf8'))).toEqual({ type: 'module' })
    expect(statSync(join(audit, 'index.js')).size).toBeLessThanOrEqual(1024 * 1024)
  })

  it('stays within the 1 MiB budget', () => {
    const bytes = scripts.reduce((total, file) => total + statSync(join(dist, file)).size, 0)
    expect(bytes).toBeLessThanOrEqual(1024 * 1024)
  })

  it('holds one copy of undici, shared with the toolkit', () => {
    // A second major of undici (a direct undici 7 beside the toolkit's 6) would add a whole copy.
    const source = scripts.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n')
    expect(occurrences(source, 'undici.globalDispatcher.1')).toBe(1)
    expect(occurrences(source, 'when HTTP Tunneling')).toBe(1)
  })

  it('lists every bundled package in licenses.txt', () => {
    const licenses = readFileSync(join(dist, 'licenses.txt'), 'utf8')
    const listed = new Set(licenses.split('\n').filter((line) => /^(@[\w.-]+\/)?[\w.-]+$/.test(line)))
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    for (const name of [...Object.keys(dependencies), '@octokit/core', '@octokit/request']) {
      expect(listed).toContain(name)
    }
  })
})

/**
 * What a step loads: each file of dist/ that Node resolves is recorded by a module hook given to the
 * process through NODE_OPTIONS, so a parser that a step does not use, loaded anyway, fails here.
 */
describe('what a step loads of the bundle', () => {
  let fake: FakeCloudflare
  useStandIn((started) => (fake = started))

  const HOOK = `data:text/javascript,${encodeURIComponent(
    "import { registerHooks } from 'node:module'; import { appendFileSync } from 'node:fs'; registerHooks({ resolve(specifier, context, next) { const resolved = next(specifier, context); if (resolved.url.startsWith('file:')) appendFileSync(process.env.MTLS_LOADED_LOG, resolved.url + '\\n'); return resolved } })",
  )}`
  /** Markers of the parser packages, found in the bundle's files. */
  const YAML = 'YAMLParseError'
  const TOML = 'Invalid TOML document'

  async function loadedBy(inputs: Record<string, string>, workspace?: string): Promise<string[]> {
    const log = join(mkdtempSync(join(tmpdir(), 'mtls-loaded-')), 'loaded.txt')
    writeFileSync(log, '')
    const run = await runAction(inputs, {
      ...(workspace ? { workspace } : {}),
      env: { NODE_OPTIONS: `--import=${HOOK}`, MTLS_LOADED_LOG: log },
    })
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([])
    expect(run.exitCode).toBe(0)
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((url) => url.includes('/dist/'))
      .map((url) => basename(fileURLToPath(url)))
  }

  it('the parsers are in chunks of their own, not in index.js', () => {
    expect(textOf('index.js')).not.toContain(YAML)
    expect(textOf('index.js')).not.toContain(TOML)
    expect(chunks.filter((file) => textOf(file).includes(YAML))).toHaveLength(1)
    expect(chunks.filter((file) => textOf(file).includes(TOML))).toHaveLength(1)
  })

  it('a single certificate without Wrangler files loads index.js alone: no YAML, TOML or JSONC parser', async () => {
    expect(await loadedBy(clientInputs(fake, makeClient('ec')))).toEqual(['index.js'])
  })

  it('with a Wrangler file, the Wrangler parsers are loaded, and the YAML parser is not', async () => {
    const workspace = makeWorkspace({
      'wrangler.toml': 'name = "payments"\n\n[[mtls_certificates]]\nbinding = "PAYMENTS_CERT"\ncertificate_id = "x"\n',
    })
    const inputs = clientInputs(fake, makeClient('ec'), {
      'wrangler-config': 'wrangler.toml',
      binding: 'PAYMENTS_CERT',
    })
    const loaded = await loadedBy(inputs, workspace)
    expect(loaded[0]).toBe('index.js')
    expect(loaded.some((file) => file !== 'index.js' && textOf(file).includes(TOML))).toBe(true)
    expect(loaded.some((file) => textOf(file).includes(YAML))).toBe(false)
  })
})
