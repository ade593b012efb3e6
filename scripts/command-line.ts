/** Reads a script's command line with `parse`; on a mistake, prints it with the usage and exits 2. */
export function parseOrExit<T>(script: string, usage: string, parse: (argv: string[]) => T): T {
  try {
    return parse(process.argv.slice(2))
  } catch (error) {
    console.error(`${script}: ${error instanceof Error ? error.message : String(error)}\n${usage}`)
    process.exit(2)
  }
}
