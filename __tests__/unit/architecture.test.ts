import { readFileSync, readdirSync } from 'node:fs'
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

  it('keeps main.ts a dispatcher: it imports the steps, the step mark and the log for its last catch, nothing of the domain', () => {
    const main = (graph.get(join(src, 'main.ts')) ?? [])
      .map((path) => path.slice(src.length + 1).replace(/\\/g, '/'))
      .sort()
    expect(main).toEqual([
      'action/log.ts',
      'action/state-helper.ts',
      'cloudflare/dependencies.ts',
      'replace/post-step.ts',
      'upload/step.ts',
    ])
  })
})
