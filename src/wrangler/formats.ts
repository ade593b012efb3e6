/**
 * Everything of Wrangler's file formats that needs a parser package (smol-toml, toml-eslint-parser,
 * jsonc-parser): loaded on demand through parsers.ts, as a chunk of its own in dist/, so that a step
 * without Wrangler files does not load them. Import it only through parsers.ts.
 */
export { readJson } from './json.ts'
export { readToml } from './toml.ts'
export { applyEdits } from 'jsonc-parser'
