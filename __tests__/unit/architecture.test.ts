import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/** The import graph of src/: each module's relative imports, type-only ones included. */
function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'))
  for (const file of files) {
    const path = join(root, file)
    const source = readFileSync(path, 'utf8')
    const imports = [...source.matchAll(/^(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gms)].map((match) =>
      resolve(dirname(path), match[1] ?? ''),
    )
    graph.set(path, imports)
  }
  return graph
}

/** The first circle found, as the path of modules that closes it; undefined when there is none. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>()
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node]
    if (done.has(node)) return undefined
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node])
      if (cycle) return cycle
    }
    done.add(node)
    return undefined
  }
  for (const node of graph.keys()) {
    const cycle = visit(node, [])
    if (cycle) return cycle
  }
  return undefined
}

/**
 * The layers of src/, lowest first: a module imports from its own folder or from a folder of a lower
 * layer, never from one above it or beside it. Folders on one layer are independent features.
 */
const LAYERS: Record<string, number> = {
  core: 0,
  certificate: 1,
  action: 2,
  cloudflare: 3,
  render: 3,
  'api-shield': 4,
  wrangler: 4,
  github: 4,
  consumers: 4,
  access: 4,
  'origin-pull': 4,
  replace: 5,
  spec: 5,
  plan: 6,
  manifest: 6,
  audit: 6,
  targets: 7,
  pipeline: 8,
  // The entry files at the top of src/: main.ts, index.ts, audit-index.ts.
  '.': 9,
}

/** The folder of src/ a module is in ('.' for the entry files at the top). */
const partOf = (src: string, file: string): string => {
  const relative = file.slice(src.length + 1)
  return relative.includes('/') ? (relative.split('/')[0] ?? '.') : '.'
}

const rank = (part: string): number => LAYERS[part] ?? Number.NaN

describe('the module structure of src/', () => {
  const src = fileURLToPath(new URL('../../src', import.meta.url))
  const graph = importGraph(src)

  it('reads the imports of every module', () => {
    expect(graph.get(join(src, 'index.ts'))?.sort()).toEqual([join(src, 'action', 'log.ts'), join(src, 'main.ts')])
    expect(graph.size).toBeGreaterThan(10)
    for (const imports of graph.values()) for (const target of imports) expect(graph.has(target)).toBe(true)
  })

  it('has no import circle', () => {
    const cycle = findCycle(graph)
    expect(cycle?.map((path) => path.slice(src.length + 1))).toBeUndefined()
  })

  it('finds a circle when there is one', () => {
    const circle = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ])
    expect(findCycle(circle)).toEqual(['a', 'b', 'c', 'a'])
  })

  it('imports only within a folder or from a lower layer (LAYERS)', () => {
    const upward: string[] = []
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const from = partOf(src, file)
        const to = partOf(src, target)
        if (from !== to && !(rank(from) > rank(to)))
          upward.push(`${from} -> ${to}: ${file.slice(src.length + 1)} imports ${target.slice(src.length + 1)}`)
      }
    }
    expect(upward).toEqual([])
  })

  it("keeps replace/ from the step's inputs: the entries read them and hand it the client", () => {
    const readers = [join(src, 'action', 'input-source.ts'), join(src, 'cloudflare', 'settings.ts')]
    const reading = [...graph]
      .filter(([file]) => partOf(src, file) === 'replace')
      .flatMap(([file, imports]) => imports.filter((target) => readers.includes(target)).map(() => file))
    expect(reading.map((file) => file.slice(src.length + 1))).toEqual([])
  })

  it('keeps access/ and origin-pull/ to core, certificate and cloudflare: they return lines, the pipeline logs them', () => {
    const allowed = new Set(['core', 'certificate', 'cloudflare'])
    const reaching = [...graph]
      .filter(([file]) => ['access', 'origin-pull'].includes(partOf(src, file)))
      .flatMap(([file, imports]) =>
        imports
          .filter((target) => partOf(src, target) !== partOf(src, file) && !allowed.has(partOf(src, target)))
          .map((target) => `${file.slice(src.length + 1)} imports ${target.slice(src.length + 1)}`),
      )
    expect(reaching).toEqual([])
  })

  it('gives every folder of src/ a layer', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory())
    expect(folders.map((entry) => entry.name).filter((name) => !(name in LAYERS))).toEqual([])
  })

  it('keeps the entry files thin: each imports only the step it starts and what wires it', () => {
    for (const entry of ['index.ts', 'audit-index.ts', 'main.ts']) {
      const lines = readFileSync(join(src, entry), 'utf8').split('\n').length
      expect(lines, entry).toBeLessThanOrEqual(40)
    }
  })

  it('keeps every module to 200 lines at most', () => {
    const long = [...graph.keys()]
      .map((file) => [file.slice(src.length + 1), readFileSync(file, 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 200)
    expect(long).toEqual([])
  })

  it('keeps every folder to 10 modules at most', () => {
    const counts = new Map<string, number>()
    for (const file of graph.keys()) counts.set(dirname(file), (counts.get(dirname(file)) ?? 0) + 1)
    const crowded = [...counts].filter(([, n]) => n > 10).map(([folder, n]) => `${folder.slice(src.length)}: ${n}`)
    expect(crowded).toEqual([])
  })

  it('has no import circle between folders', () => {
    const folders = new Map<string, string[]>()
    for (const [file, imports] of graph) {
      const from = dirname(file)
      folders.set(from, [
        ...new Set([
          ...(folders.get(from) ?? []),
          ...imports.map((target) => dirname(target)).filter((to) => to !== from),
        ]),
      ])
    }
    expect(findCycle(folders)?.map((folder) => folder.slice(src.length + 1))).toBeUndefined()
  })

  it("reaches a target's folder only through targets/registry.ts, and no target another's", () => {
    const targets = join(src, 'targets')
    const registry = join(targets, 'registry.ts')
    const strays: string[] = []
    for (const [file, imports] of graph) {
      for (const target of imports) {
        const into = dirname(target)
        if (dirname(into) !== targets || file === registry || dirname(file) === into) continue
        strays.push(`${file.slice(src.length + 1)} imports ${target.slice(src.length + 1)}`)
      }
    }
    expect(strays).toEqual([])
  })

  it('gives every module of src/ a unit test file named for it', () => {
    const unit = fileURLToPath(new URL('.', import.meta.url))
    const entries = new Set(['index.ts', 'main.ts', 'audit-index.ts'])
    const untested = [...graph.keys()]
      .map((file) => file.slice(src.length + 1))
      .filter((module) => !entries.has(module))
      .filter((module) => {
        const base = join(unit, module.replace(/\.ts$/, ''))
        return !['.test.ts', '.property.test.ts'].some((suffix) => existsSync(`${base}${suffix}`))
      })
    expect(untested).toEqual([])
  })
})
