/**
 * The Wrangler parsers (formats.ts), loaded once a step knows it has Wrangler files: about 100 KiB of
 * parsers that every other step would otherwise compile at its start. Loading is asynchronous, as a
 * chunk of dist/ is; the checks and edits that use the parsers stay synchronous, and ask for them here.
 */
type Formats = typeof import('./formats.ts')

let loaded: Formats | undefined

/** Loads the parsers (once); call it before reading or editing a Wrangler file. */
export async function loadWranglerParsers(): Promise<void> {
  loaded ??= await import('./formats.ts')
}

/** The parsers; loadWranglerParsers must have been awaited first (a mistake of the code, not of the input). */
export function wranglerParsers(): Formats {
  if (!loaded) throw new Error('The Wrangler parsers were used before loadWranglerParsers() loaded them.')
  return loaded
}
