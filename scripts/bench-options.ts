import { parseArgs } from 'node:util'

/** `npm run bench` options: how many measured and warm-up runs of each variant. */

export const BENCH_USAGE = 'usage: npm run bench [-- --runs <n> --warmup <n>]   (default: 15 runs after 3 warm-up runs)'
/** Fewer runs than this give medians too rough to compare with the README's figures. */
export const SENSIBLE_MINIMUM_RUNS = 10

export interface BenchOptions {
  runs: number
  warmup: number
  /** What the user should know about the options given, such as too few runs. */
  warnings: string[]
}

/** Reads the command line; throws an Error whose message says what is wrong with it. */
export function benchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: { runs: { type: 'string', default: '15' }, warmup: { type: 'string', default: '3' } },
  })
  const count = (name: string, text: string, least: number): number => {
    if (!/^\d+$/.test(text) || Number(text) < least)
      throw new Error(`--${name} must be a whole number, at least ${least}, not '${text}'`)
    return Number(text)
  }
  const runs = count('runs', values.runs, 1)
  const warmup = count('warmup', values.warmup, 0)
  const warnings =
    runs < SENSIBLE_MINIMUM_RUNS
      ? [
          `only ${runs} run${runs === 1 ? '' : 's'} of each: medians from fewer than ${SENSIBLE_MINIMUM_RUNS} are rough, so compare them with the README's figures with care.`,
        ]
      : []
  return { runs, warmup, warnings }
}
