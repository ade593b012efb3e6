import type { applyEdits as ApplyEdits } from 'jsonc-parser'
import type { readJson as ReadJson } from './json.ts'
import type { readToml as ReadToml } from './toml.ts'

/**
 * The Wrangler parsers (json.ts and toml.ts, with jsonc-parser, smol-toml and toml-eslint-parser),
 * loaded once a step knows it has Wrangler files: about 100 KiB of parsers that every other step would
 * otherwise compile at its start. They are chunks of dist/ of their own; loading them is asynchronous,
 * and the checks and edits that use them stay synchronous, asking for them here.
 */
interface Parsers {
  readJson: typeof ReadJson
  readToml: typeof ReadToml
  applyEdits: typeof ApplyEdits
}

let loaded: Parsers | undefined

/** Loads the parsers (once); call it before reading or editing a Wrangler file. */
export async function loadWranglerParsers(): Promise<void> {
  if (loaded) return
  const [json, toml] = await Promise.all([import('./json.ts'), import('./toml.ts')])
  loaded = { readJson: json.readJson, readToml: toml.readToml, applyEdits: json.applyEdits }
}

/** The parsers; loadWranglerParsers must have been awaited first (a mistake of the code, not of the input). */
export function wranglerParsers(): Parsers {
  if (!loaded) throw new Error('The Wrangler parsers were used before loadWranglerParsers() loaded them.')
  return loaded
}
